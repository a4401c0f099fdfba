package io.orchestro.threads.adapters.persistence.sql;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.jdbc.core.SqlParameterValue;

/**
 * Times to and from {@code TIMESTAMP WITH TIME ZONE} columns, the way H2 and PostgreSQL both take
 * them: as {@link OffsetDateTime} in UTC.
 */
final class SqlTimes {

  private SqlTimes() {}

  static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  /**
   * A time parameter that may be null. Typed, so that a null needs no look-up of the parameter's
   * type in the driver (a round trip on PostgreSQL) on the engine's write path.
   */
  static SqlParameterValue parameter(Instant instant) {
    return new SqlParameterValue(Types.TIMESTAMP_WITH_TIMEZONE, utc(instant));
  }

  static Instant instant(ResultSet row, String column) throws SQLException {
    OffsetDateTime time = row.getObject(column, OffsetDateTime.class);
    return time == null ? null : time.toInstant();
  }
}
