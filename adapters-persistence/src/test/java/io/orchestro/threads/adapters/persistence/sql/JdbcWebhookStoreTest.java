package io.orchestro.threads.adapters.persistence.sql;

import io.orchestro.threads.adapters.persistence.WebhookStoreContractTest;
import io.orchestro.threads.application.port.out.WebhookStore;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** The webhook store contract on H2 with the Flyway schema. */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
class JdbcWebhookStoreTest extends WebhookStoreContractTest {

  @Autowired private DataSource dataSource;

  @Override
  protected WebhookStore emptyStore() {
    new JdbcTemplate(dataSource).update("DELETE FROM webhook");
    return new JdbcWebhookStore(dataSource);
  }

  @Override
  protected String rawStoredText() {
    return new JdbcTemplate(dataSource)
        .queryForList("SELECT * FROM webhook").stream()
            .map(Object::toString)
            .collect(Collectors.joining("\n"));
  }
}
