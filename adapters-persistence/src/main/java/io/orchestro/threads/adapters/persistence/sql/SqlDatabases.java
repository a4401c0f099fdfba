package io.orchestro.threads.adapters.persistence.sql;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** What the SQL stores need to know of the database behind a data source. */
final class SqlDatabases {

  private SqlDatabases() {}

  /** Whether it is H2, which some statements and the event numbering treat apart. */
  static boolean isH2(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection()) {
      return "H2".equals(connection.getMetaData().getDatabaseProductName());
    } catch (SQLException unreachable) {
      throw new IllegalStateException("the database cannot be reached", unreachable);
    }
  }
}
