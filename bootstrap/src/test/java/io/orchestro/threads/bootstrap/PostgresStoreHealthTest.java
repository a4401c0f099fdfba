package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orchestro.threads.adapters.persistence.PostgresTestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Readiness tells the truth about a PostgreSQL store, over real HTTP: DOWN while the database
 * cannot be reached (the connection to it cut by a relay, as a dropped network or a stopped server
 * would), liveness UP all the while (a restart would not bring the database back), and UP again,
 * taking writes, once the database can be reached. The relay forwards to a port on this machine,
 * where the tests' PostgreSQL runs.
 */
@ExtendWith(PostgresTestDatabase.Required.class)
class PostgresStoreHealthTest {

  private static final Pattern HOST_AND_PORT = Pattern.compile("//([^/:?]+)(?::(\\d+))?/");

  private PostgresTestDatabase.Schema schema;

  @AfterEach
  void dropSchema() {
    if (schema != null) {
      schema.drop();
    }
  }

  @Test
  void readinessIsDownWhileTheDatabaseCannotBeReachedAndUpOnceItCanAgain() {
    schema = PostgresTestDatabase.newSchema("health");
    PostgresTestDatabase.ConnectionDetails database = schema.connection();
    Matcher address = HOST_AND_PORT.matcher(database.url());
    assertThat(address.find()).as(database.url()).isTrue();
    int port = address.group(2) == null ? 5432 : Integer.parseInt(address.group(2));

    try (TcpRelay relay = new TcpRelay(port);
        ConfigurableApplicationContext service =
            start(address.replaceFirst("//127.0.0.1:" + relay.port() + "/"), database)) {
      ApiClient api = ApiClient.of(service);
      String before = api.createThread("before the database went away", "general");
      api.awaitStatus(before, "completed");
      assertThat(readiness(api)).isEqualTo("UP");

      relay.cut();
      await().atMost(Duration.ofSeconds(30)).until(() -> readiness(api).equals("DOWN"));
      ApiClient.Reply down = api.get("/actuator/health/readiness");
      assertThat(down.status()).isEqualTo(503);
      assertThat(down.body().at("/components/store/status").asString()).isEqualTo("DOWN");
      assertThat(api.get("/actuator/health/liveness").body().get("status").asString())
          .isEqualTo("UP");

      relay.restore();
      await().atMost(Duration.ofSeconds(30)).until(() -> readiness(api).equals("UP"));
      assertThat(api.status(before)).isEqualTo("completed");
      String after = api.createThread("once the database is back", "general");
      api.awaitStatus(after, "completed");
    }
  }

  private static ConfigurableApplicationContext start(
      String url, PostgresTestDatabase.ConnectionDetails database) {
    List<String> arguments = new ArrayList<>();
    arguments.add("--spring.datasource.url=" + url);
    arguments.add("--spring.datasource.username=" + database.user());
    arguments.add("--spring.datasource.password=" + database.password());
    // a check while the database is away answers DOWN within this, not after Hikari's 30 s
    arguments.add("--spring.datasource.hikari.connection-timeout=2000");
    arguments.add("--orchestro.webhooks.enabled=false");
    arguments.add("--orchestro.schedules.enabled=false");
    return CommandLine.startInThisJvm(arguments);
  }

  private static String readiness(ApiClient api) {
    return api.get("/actuator/health/readiness").body().get("status").asString();
  }
}
