package io.orchestro.threads.adapters.persistence.sql;

import static io.orchestro.threads.adapters.persistence.StoredJson.micros;

import io.orchestro.threads.adapters.persistence.JsonText;
import io.orchestro.threads.application.port.out.ScheduleStore;
import io.orchestro.threads.domain.Schedule;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Schedules in the {@code schedule} table, in plain SQL. A claim locks the due rows with {@code FOR
 * UPDATE SKIP LOCKED}, as the thread claim does, so that two nodes never take the same one.
 */
public final class JdbcScheduleStore implements ScheduleStore {

  private static final String COLUMNS =
      "name, cron, zone, workflow_type, prompt, input, enabled, next_run_at, last_run_at";

  private final JdbcTemplate jdbc;
  private final TransactionTemplate writing;

  public JdbcScheduleStore(DataSource dataSource) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.writing = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
  }

  @Override
  public Optional<Schedule> find(String name) {
    return jdbc
        .query("select " + COLUMNS + " from schedule where name = ?", JdbcScheduleStore::read, name)
        .stream()
        .findFirst();
  }

  @Override
  public List<Schedule> list() {
    return jdbc.query(
        "select " + COLUMNS + " from schedule order by name", JdbcScheduleStore::read);
  }

  /** An update, else an insert; an insert that loses a race to another one updates instead. */
  @Override
  public boolean put(Schedule schedule) {
    if (update(schedule)) {
      return false;
    }
    try {
      jdbc.update(
          "insert into schedule (cron, zone, workflow_type, prompt, input, enabled, next_run_at,"
              + " last_run_at, name) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          parameters(schedule));
      return true;
    } catch (DuplicateKeyException raced) {
      update(schedule);
      return false;
    }
  }

  private boolean update(Schedule schedule) {
    return jdbc.update(
            "update schedule set cron = ?, zone = ?, workflow_type = ?, prompt = ?, input = ?,"
                + " enabled = ?, next_run_at = ?, last_run_at = ? where name = ?",
            parameters(schedule))
        == 1;
  }

  /** The columns in the order both the insert and the update take them: the name last. */
  private static Object[] parameters(Schedule schedule) {
    return new Object[] {
      schedule.cron(),
      schedule.zone().getId(),
      schedule.workflowType(),
      // typed: a null needs no look-up of its type
      new SqlParameterValue(Types.VARCHAR, schedule.prompt()),
      JsonText.compactString(schedule.input()),
      schedule.enabled(),
      SqlTimes.parameter(micros(schedule.nextRunAt())),
      SqlTimes.parameter(micros(schedule.lastRunAt())),
      schedule.name()
    };
  }

  @Override
  public boolean delete(String name) {
    return jdbc.update("delete from schedule where name = ?", name) == 1;
  }

  @Override
  public List<Schedule> claimDue(String owner, Instant now, Instant leaseUntil, int limit) {
    return writing.execute(
        status -> {
          List<Schedule> due =
              jdbc.query(
                  "select "
                      + COLUMNS
                      + " from schedule where next_run_at <= ? and enabled"
                      + " and (claim_until is null or claim_until <= ?)"
                      + " order by next_run_at limit ? for update skip locked",
                  JdbcScheduleStore::read,
                  SqlTimes.parameter(micros(now)),
                  SqlTimes.parameter(micros(now)),
                  limit);
          for (Schedule schedule : due) {
            jdbc.update(
                "update schedule set claim_owner = ?, claim_until = ? where name = ?",
                owner,
                SqlTimes.parameter(micros(leaseUntil)),
                schedule.name());
          }
          return due;
        });
  }

  @Override
  public void fired(String name, String owner, Instant dueAt, Instant nextRunAt) {
    jdbc.update(
        "update schedule set last_run_at = ?, claim_owner = null, claim_until = null,"
            + " next_run_at = case when next_run_at = ? and enabled then ? else next_run_at end"
            + " where name = ? and claim_owner = ?",
        SqlTimes.parameter(micros(dueAt)),
        SqlTimes.parameter(micros(dueAt)),
        SqlTimes.parameter(micros(nextRunAt)),
        name,
        owner);
  }

  private static Schedule read(ResultSet rs, int rowNum) throws SQLException {
    return new Schedule(
        rs.getString("name"),
        rs.getString("cron"),
        ZoneId.of(rs.getString("zone")),
        rs.getString("workflow_type"),
        rs.getString("prompt"),
        JsonText.parseObject(rs.getString("input")),
        rs.getBoolean("enabled"),
        SqlTimes.instant(rs, "next_run_at"),
        SqlTimes.instant(rs, "last_run_at"));
  }
}
