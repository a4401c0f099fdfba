package io.orchestro.threads.adapters.persistence.sql;

import io.orchestro.threads.adapters.persistence.LimitLeasesContractTest;
import io.orchestro.threads.application.port.out.LimitLeases;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** The limit contract on H2 with the Flyway schema, two stores on it standing for two nodes. */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
class JdbcLimitLeasesTest extends LimitLeasesContractTest {

  @Autowired private DataSource dataSource;

  @Override
  protected LimitLeases emptyLeases() {
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    jdbc.update("delete from limit_lease");
    jdbc.update("delete from limit_state");
    jdbc.update("delete from limit_wait");
    return new JdbcLimitLeases(dataSource);
  }

  @Override
  protected LimitLeases otherNode() {
    return new JdbcLimitLeases(dataSource);
  }
}
