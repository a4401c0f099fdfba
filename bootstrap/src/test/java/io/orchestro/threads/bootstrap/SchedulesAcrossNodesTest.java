package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.adapters.persistence.PostgresTestDatabase;
import io.orchestro.threads.adapters.persistence.sql.JdbcScheduleStore;
import io.orchestro.threads.adapters.persistence.sql.JdbcThreadEventLog;
import io.orchestro.threads.adapters.persistence.sql.JdbcWorkflowThreadStore;
import io.orchestro.threads.application.port.in.CreateThreadCommand;
import io.orchestro.threads.application.port.out.EngineSignal;
import io.orchestro.threads.application.port.out.ScheduleStore;
import io.orchestro.threads.application.service.ScheduleService;
import io.orchestro.threads.application.service.ThreadService;
import io.orchestro.threads.application.service.WorkflowService;
import io.orchestro.threads.application.testing.SettableClock;
import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.Schedule;
import io.orchestro.threads.domain.ThreadId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Schedules on PostgreSQL shared by two nodes: the application (node A, whose API the test calls
 * and whose own firing loop is off, with its engine) and node B, built here on the same database
 * with stores of its own. The nodes share nothing but the database.
 */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = "orchestro.engine.enabled=false")
@Import(EngineTestSupport.Beans.class)
@ExtendWith(PostgresTestDatabase.Required.class)
class SchedulesAcrossNodesTest {

  private static final Duration LEASE = Duration.ofSeconds(15);

  private static PostgresTestDatabase.Schema schema;

  @Autowired ScheduleService nodeA;
  @Autowired WorkflowService workflows;
  @Autowired SettableClock clock;
  @Autowired DataSource dataSource;
  @Autowired JdbcTemplate jdbc;
  @LocalServerPort int port;

  private ScheduleStore nodeBStore;
  private ThreadService nodeBThreads;
  private ScheduleService nodeB;
  private ApiClient api;
  private final ExecutorService racers = Executors.newFixedThreadPool(2);

  @DynamicPropertySource
  static void inASchemaOfItsOwn(DynamicPropertyRegistry registry) {
    schema = PostgresTestDatabase.newSchema("schedules");
    schema
        .connection()
        .springProperties()
        .forEach((name, value) -> registry.add(name, () -> value));
  }

  @AfterAll
  static void dropSchema() {
    if (schema != null) {
      schema.drop();
    }
  }

  @BeforeEach
  void nodeB() {
    jdbc.update("delete from schedule");
    nodeBStore = new JdbcScheduleStore(dataSource);
    nodeBThreads =
        new ThreadService(
            new JdbcWorkflowThreadStore(dataSource, new JdbcThreadEventLog(dataSource)),
            workflows,
            clock,
            EngineSignal.NONE);
    nodeB =
        new ScheduleService(nodeBStore, new SpringCronCalendar(), workflows, nodeBThreads, clock);
    api = new ApiClient(port);
  }

  @AfterEach
  void stopRacers() {
    racers.shutdownNow();
  }

  @Test
  void twoNodesFiringTogetherCreateOneThreadForEveryDueTimeAndMissNone() throws Exception {
    put("raced", "0 * * * * *", true);
    Schedule schedule = schedule("raced");
    Instant firstDue = schedule.nextRunAt();
    clock.advance(Duration.between(clock.instant(), firstDue));

    List<ThreadId> expected = new ArrayList<>();
    for (int minute = 0; minute < 5; minute++) {
      expected.add(schedule.threadIdFor(firstDue.plus(Duration.ofMinutes(minute))));
      // both nodes fire at once, twice each, at every due time
      CompletableFuture<Void> a =
          CompletableFuture.runAsync(() -> fireTwice(nodeA, "node-a"), racers);
      CompletableFuture<Void> b =
          CompletableFuture.runAsync(() -> fireTwice(nodeB, "node-b"), racers);
      CompletableFuture.allOf(a, b).get();
      clock.advance(Duration.ofMinutes(1));
    }

    assertThat(threadIdsOf("raced")).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void aNodeKilledAfterCreatingTheThreadLeavesTheTimeToTheOtherWhichCreatesNoSecondOne() {
    put("nightly", "0 0 3 * * *", true);
    Schedule schedule = schedule("nightly");
    Instant due = schedule.nextRunAt();
    clock.advance(Duration.between(clock.instant(), due));

    // node B claims the due time and creates its thread, then dies before recording the run
    assertThat(nodeBStore.claimDue("node-b", clock.instant(), clock.instant().plus(LEASE), 1))
        .hasSize(1);
    nodeBThreads.create(
        Caller.LOCAL_ADMIN,
        new CreateThreadCommand(schedule.threadIdFor(due), schedule.requestFor(due)));

    assertThat(nodeA.fireDue("node-a", LEASE)).isZero();
    clock.advance(LEASE);
    assertThat(nodeA.fireDue("node-a", LEASE)).isEqualTo(1);

    assertThat(threadIdsOf("nightly")).containsExactly(schedule.threadIdFor(due));
    Schedule after = schedule("nightly");
    assertThat(after.lastRunAt()).isEqualTo(due);
    assertThat(after.nextRunAt()).isEqualTo(due.plus(Duration.ofDays(1)));
  }

  @Test
  void timesMissedWhileEveryNodeWasDownCreateOneThreadOnStart() throws Exception {
    put("missed", "0 * * * * *", true);
    Schedule schedule = schedule("missed");

    clock.advance(Duration.ofMinutes(30));
    CompletableFuture<Integer> a =
        CompletableFuture.supplyAsync(() -> nodeA.fireDue("node-a", LEASE), racers);
    CompletableFuture<Integer> b =
        CompletableFuture.supplyAsync(() -> nodeB.fireDue("node-b", LEASE), racers);

    assertThat(a.get() + b.get()).isEqualTo(1);
    assertThat(threadIdsOf("missed")).containsExactly(schedule.threadIdFor(schedule.nextRunAt()));
    assertThat(schedule("missed").nextRunAt()).isAfter(clock.instant());
  }

  @Test
  void theApiPutsListsDisablesAndDeletesSchedulesAndRefusesWhatCouldNeverRun() {
    var created =
        api.put(
            "/api/schedules/report",
            """
            { "cron": "0 0 9 * * MON-FRI", "zone": "Europe/Paris", "workflow_type": "general",
              "prompt": "the morning report", "input": { "team": "ops" } }
            """);
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body().get("enabled").asBoolean()).isTrue();
    assertThat(created.body().get("next_runs")).hasSize(5);
    assertThat(created.body().get("next_run_at").asString())
        .isEqualTo(created.body().get("next_runs").get(0).asString());

    var disabled =
        api.put(
            "/api/schedules/report",
            """
            { "cron": "0 0 9 * * MON-FRI", "zone": "Europe/Paris", "workflow_type": "general",
              "prompt": "the morning report", "enabled": false }
            """);
    assertThat(disabled.status()).isEqualTo(200);
    assertThat(disabled.body().get("next_run_at").isNull()).isTrue();
    assertThat(disabled.body().get("next_runs")).isEmpty();
    assertThat(api.get("/api/schedules").body()).hasSize(1);

    ApiClient.assertProblem(
        api.put("/api/schedules/bad", body("0 0 25 * * *", "UTC", "general")), 400);
    ApiClient.assertProblem(
        api.put("/api/schedules/bad", body("0 0 9 * * *", "Mars/Base", "general")), 400);
    ApiClient.assertProblem(
        api.put("/api/schedules/bad", body("0 0 9 * * *", "UTC", "no-such")), 400);
    ApiClient.assertProblem(
        api.put("/api/schedules/bad%20name", body("0 0 9 * * *", "UTC", "general")), 400);
    ApiClient.assertProblem(api.put("/api/schedules/bad", "{ \"cron\": 5 }"), 400);
    ApiClient.assertProblem(api.get("/api/schedules/bad"), 404);
    assertThat(api.delete("/api/schedules/report").status()).isEqualTo(204);
    ApiClient.assertProblem(api.delete("/api/schedules/report"), 404);
  }

  private static String body(String cron, String zone, String type) {
    return """
        { "cron": "%s", "zone": "%s", "workflow_type": "%s", "prompt": "x" }
        """
        .formatted(cron, zone, type);
  }

  private void put(String name, String cron, boolean enabled) {
    assertThat(
            api.put(
                    "/api/schedules/" + name,
                    """
                    { "cron": "%s", "zone": "Europe/Paris", "workflow_type": "general",
                      "prompt": "scheduled", "enabled": %s }
                    """
                        .formatted(cron, enabled))
                .status())
        .isEqualTo(201);
  }

  private Schedule schedule(String name) {
    return nodeBStore.find(name).orElseThrow();
  }

  private static void fireTwice(ScheduleService node, String owner) {
    node.fireDue(owner, LEASE);
    node.fireDue(owner, LEASE);
  }

  private List<ThreadId> threadIdsOf(String scheduleName) {
    return jdbc
        .queryForList(
            "select thread_id from workflow_thread where title like ?",
            UUID.class,
            "Schedule " + scheduleName + " - %")
        .stream()
        .map(ThreadId::new)
        .toList();
  }
}
