package io.orchestro.threads.adapters.persistence.sql;

import io.orchestro.threads.adapters.persistence.ScheduleStoreContractTest;
import io.orchestro.threads.application.port.out.ScheduleStore;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** The schedule store contract on H2 with the Flyway schema. */
@DataJpaTest(showSql = false)
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
class JdbcScheduleStoreTest extends ScheduleStoreContractTest {

  @Autowired private DataSource dataSource;

  @Override
  protected ScheduleStore emptyStore() {
    new JdbcTemplate(dataSource).update("delete from schedule");
    return new JdbcScheduleStore(dataSource);
  }
}
