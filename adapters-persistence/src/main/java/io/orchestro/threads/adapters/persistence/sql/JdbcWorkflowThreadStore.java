package io.orchestro.threads.adapters.persistence.sql;

import static io.orchestro.threads.adapters.persistence.StoredJson.micros;

import io.orchestro.threads.application.port.out.ClaimLostException;
import io.orchestro.threads.application.port.out.ConcurrentThreadUpdateException;
import io.orchestro.threads.application.port.out.DuplicateThreadException;
import io.orchestro.threads.application.port.out.ThreadClaims;
import io.orchestro.threads.application.port.out.WorkflowThreadStore;
import io.orchestro.threads.domain.ListThreadsQuery;
import io.orchestro.threads.domain.ThreadEvent;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadPage;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.WorkflowThread;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Threads in a relational database (H2 or PostgreSQL), in plain SQL. Each write is one transaction
 * that saves the thread's row and appends the events the aggregate recorded to {@code
 * thread_event}: both land, or neither does.
 *
 * <p>It also keeps the engine's claims ({@link ThreadClaims}) in two columns of the same rows, so
 * that a fenced step write checks the claim and saves the step in one statement.
 *
 * <p>Why SQL and not JPA, like the workflow catalog: this is the engine's hot path, a write per
 * step. Through Hibernate a step write loaded the row, merged the whole entity and flushed it, and
 * a profile under load found 44 % of the service's CPU in Hibernate (docs/benchmarks.md). Here a
 * step write is one conditional {@code update} (version and claim in its {@code where}) and one
 * batch of event inserts.
 */
public final class JdbcWorkflowThreadStore implements WorkflowThreadStore, ThreadClaims {

  /** The order in which claimed threads are handed to the engine, as the claim query reads them. */
  private static final Comparator<WorkflowThread> CLAIM_ORDER =
      Comparator.comparingInt(WorkflowThread::priority)
          .reversed()
          .thenComparing(WorkflowThread::createdAt);

  private final JdbcClient sql;
  private final JdbcTemplate batches;
  private final TransactionTemplate writing;
  private final JdbcThreadEventLog eventLog;

  /**
   * @param eventLog numbers the events this store appends, once their transaction has committed
   */
  public JdbcWorkflowThreadStore(DataSource dataSource, JdbcThreadEventLog eventLog) {
    this.sql = JdbcClient.create(dataSource);
    this.batches = new JdbcTemplate(dataSource);
    this.eventLog = eventLog;
    // JDBC transactions of its own: no JPA session to open for statements that need none
    this.writing = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
  }

  /** Stores the thread with version 0. */
  @Override
  public WorkflowThread insert(WorkflowThread thread) {
    return insertAll(List.of(thread)).get(0);
  }

  /** Stores the threads with version 0, their rows and events in one transaction. */
  @Override
  public List<WorkflowThread> insertAll(List<WorkflowThread> threads) {
    List<ThreadRow> rows =
        threads.stream().map(thread -> ThreadRow.of(thread.snapshot(), 0)).toList();
    List<ThreadEvent> events =
        threads.stream().flatMap(thread -> thread.newEvents().stream()).toList();
    try {
      writing.executeWithoutResult(
          status -> {
            batches.batchUpdate(
                "insert into workflow_thread ("
                    + ThreadRow.COLUMNS
                    + ", priority, claim_until, search_text)"
                    + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                IntStream.range(0, rows.size())
                    .mapToObj(i -> insertParameters(rows.get(i), threads.get(i)))
                    .toList());
            eventLog.append(events);
          });
    } catch (DuplicateKeyException taken) {
      // the primary key is the table's only unique key: an id was taken before, or by an insert
      // that won a race (the database made this one wait for it to commit)
      throw new DuplicateThreadException(takenId(threads));
    }
    if (!events.isEmpty()) {
      eventLog.committed();
    }
    return rows.stream().map(ThreadRow::toDomain).toList();
  }

  /** The row's columns, then the thread's priority, start time and search text (the insert). */
  private static Object[] insertParameters(ThreadRow row, WorkflowThread thread) {
    return new Object[] {
      row.threadId(),
      row.title(),
      row.workflowType(),
      row.workflowVersion(),
      row.status(),
      row.request(),
      row.steps(),
      text(row.errorMessage()),
      SqlTimes.parameter(row.createdAt()),
      SqlTimes.parameter(row.startTime()),
      SqlTimes.parameter(row.lastUpdated()),
      SqlTimes.parameter(row.finishedAt()),
      row.version(),
      thread.priority(),
      // a start time ahead ends the claim no owner holds yet, as a retry backoff does
      SqlTimes.parameter(micros(thread.startAt())),
      ListThreadsQuery.searchTextOf(thread.title(), thread.request())
    };
  }

  /** The first of the threads whose id is stored now; the first one when none is (yet). */
  private ThreadId takenId(List<WorkflowThread> threads) {
    if (threads.size() > 1) {
      for (WorkflowThread thread : threads) {
        if (sql.sql("select count(*) from workflow_thread where thread_id = ?")
                .param(thread.id().value())
                .query(Long.class)
                .single()
            > 0) {
          return thread.id();
        }
      }
    }
    return threads.get(0).id();
  }

  /** Saves the thread if the stored version is still the one it was loaded with. */
  @Override
  public WorkflowThread update(WorkflowThread thread) {
    return updateIfHeld(thread, null);
  }

  /**
   * The fenced write of the claim's owner: refused unless the owner still holds the claim; ends the
   * claim once the thread needs no worker.
   */
  @Override
  public WorkflowThread updateIfHeld(WorkflowThread thread, String owner) {
    ThreadRow row = ThreadRow.of(thread.snapshot(), thread.version() + 1);
    try {
      writing.executeWithoutResult(
          status -> {
            // one statement checks the version (and the claim) and writes; the row stays locked
            // until commit, so the events appended below belong to the state stored with them
            int written =
                sql.sql(
                        "update workflow_thread set title = ?, status = ?, request = ?, steps = ?,"
                            + " error_message = ?, start_time = ?, last_updated = ?,"
                            + " finished_at = ?, version = ?"
                            + settledClaim(thread, owner)
                            + " where thread_id = ? and version = ?"
                            + (owner != null ? " and claim_owner = ?" : ""))
                    .params(updateParameters(row, thread.version(), owner))
                    .update();
            if (written == 0) {
              throw refusal(thread, owner);
            }
            eventLog.append(thread.newEvents());
          });
    } catch (ConcurrencyFailureException lostRace) {
      // a lock the database gave up waiting for, or a serialization failure: another writer got
      // there first, and the caller reloads and tries again
      throw new ConcurrentThreadUpdateException(thread.id());
    }
    eventsCommitted(thread);
    return row.toDomain();
  }

  /**
   * The owner's write ends its claim once the thread needs no worker; a person's write ends it when
   * it finishes the thread (a cancel), so that the node working on it sees the claim gone at its
   * next check and cancels the agent. A person's write that settles a thread nobody holds (a pause
   * of a parked attempt) ends the wait of its claim, so that a resume runs it at once.
   */
  private static String settledClaim(WorkflowThread thread, String owner) {
    if (!thread.isSettled()) {
      return "";
    }
    if (owner != null || thread.status().isFinished()) {
      return ", claim_owner = null, claim_until = null";
    }
    return ", claim_until = case when claim_owner is null then null else claim_until end";
  }

  private static List<Object> updateParameters(ThreadRow row, long loadedVersion, String owner) {
    List<Object> parameters =
        new ArrayList<>(
            List.of(
                row.title(),
                row.status(),
                row.request(),
                row.steps(),
                text(row.errorMessage()),
                SqlTimes.parameter(row.startTime()),
                SqlTimes.parameter(row.lastUpdated()),
                SqlTimes.parameter(row.finishedAt()),
                row.version(),
                row.threadId(),
                loadedVersion));
    if (owner != null) {
      parameters.add(owner);
    }
    return parameters;
  }

  /** Why an update wrote no row: the claim is gone (fenced writes), or someone saved first. */
  private RuntimeException refusal(WorkflowThread thread, String owner) {
    if (owner == null) {
      return new ConcurrentThreadUpdateException(thread.id());
    }
    long stillHeld =
        sql.sql("select count(*) from workflow_thread where thread_id = ? and claim_owner = ?")
            .params(thread.id().value(), owner)
            .query(Long.class)
            .single();
    if (stillHeld == 0) {
      return new ClaimLostException(thread.id(), owner);
    }
    return new ConcurrentThreadUpdateException(thread.id());
  }

  @Override
  public Optional<WorkflowThread> find(ThreadId id) {
    return sql.sql("select " + ThreadRow.COLUMNS + " from workflow_thread where thread_id = ?")
        .param(id.value())
        .query(ThreadRow::read)
        .optional()
        .map(ThreadRow::toDomain);
  }

  /** Deletes the row without a version check and appends the thread's events when it was there. */
  @Override
  public boolean delete(WorkflowThread thread) {
    Boolean deleted =
        writing.execute(
            status -> {
              if (sql.sql("delete from workflow_thread where thread_id = ?")
                      .param(thread.id().value())
                      .update()
                  == 0) {
                return false;
              }
              eventLog.append(thread.newEvents());
              return true;
            });
    if (Boolean.TRUE.equals(deleted)) {
      eventsCommitted(thread);
      return true;
    }
    return false;
  }

  /**
   * A page in the order asked for, and the total. The total needs a count of every matching row
   * unless the page itself tells it: a page that is not full is the last one.
   *
   * <p>Each filter is a condition one of the indexes serves on PostgreSQL (docs/postgresql.md):
   * status and type their own, the creation times the creation-time index, the text the trigram
   * index of {@code search_text} (a {@code like} that H2 answers by reading every row).
   */
  @Override
  public ThreadPage list(ListThreadsQuery query) {
    List<Object> parameters = new ArrayList<>();
    StringBuilder where = whereOf(query, parameters);
    String time =
        query.sortBy() == ListThreadsQuery.SortBy.CREATED_AT ? "created_at" : "last_updated";
    String direction = query.ascending() ? "asc" : "desc";
    List<Object> pageParameters = new ArrayList<>(parameters);
    pageParameters.add(query.size());
    pageParameters.add(query.offset());
    List<WorkflowThread> items =
        sql
            .sql(
                "select "
                    + ThreadRow.COLUMNS
                    + " from workflow_thread"
                    + where
                    + " order by "
                    + time
                    + " "
                    + direction
                    + ", thread_id "
                    + direction
                    + " limit ? offset ?")
            .params(pageParameters)
            .query(ThreadRow::read)
            .list()
            .stream()
            .map(ThreadRow::toDomain)
            .toList();
    long total;
    if (items.size() < query.size() && (!items.isEmpty() || query.offset() == 0)) {
      total = query.offset() + items.size();
    } else {
      total =
          sql.sql("select count(*) from workflow_thread" + where)
              .params(parameters)
              .query(Long.class)
              .single();
    }
    return new ThreadPage(items, query.page(), query.size(), total);
  }

  /** The {@code where} clause of the query's filters, adding their values to {@code parameters}. */
  private static StringBuilder whereOf(ListThreadsQuery query, List<Object> parameters) {
    StringBuilder where = new StringBuilder(" where 1 = 1");
    if (!query.statuses().isEmpty()) {
      where.append(" and status in (");
      where.append(String.join(", ", query.statuses().stream().map(each -> "?").toList()));
      where.append(")");
      query.statuses().forEach(each -> parameters.add(each.wireName()));
    }
    if (query.workflowType() != null) {
      where.append(" and workflow_type = ?");
      parameters.add(query.workflowType());
    }
    if (query.createdAfter() != null) {
      where.append(" and created_at >= ?");
      parameters.add(SqlTimes.parameter(query.createdAfter()));
    }
    if (query.createdBefore() != null) {
      where.append(" and created_at < ?");
      parameters.add(SqlTimes.parameter(query.createdBefore()));
    }
    if (query.text() != null) {
      where.append(" and search_text like ? escape '\\'");
      parameters.add("%" + escapeLike(query.text()) + "%");
    }
    return where;
  }

  @Override
  public List<Cursor> positionsAfter(ListThreadsQuery filter, Cursor after, int limit) {
    List<Object> parameters = new ArrayList<>();
    StringBuilder where = whereOf(filter, parameters);
    if (after != null) {
      where.append(" and (created_at > ? or (created_at = ? and thread_id > ?))");
      parameters.add(SqlTimes.parameter(after.createdAt()));
      parameters.add(SqlTimes.parameter(after.createdAt()));
      parameters.add(after.id().value());
    }
    parameters.add(limit);
    return sql.sql(
            "select created_at, thread_id from workflow_thread"
                + where
                + " order by created_at, thread_id limit ?")
        .params(parameters)
        .query(
            (rs, rowNum) ->
                new Cursor(
                    SqlTimes.instant(rs, "created_at"),
                    new ThreadId(rs.getObject("thread_id", UUID.class))))
        .list();
  }

  /** The text as a {@code like} pattern matches it literally: its own % and _ are not wildcards. */
  private static String escapeLike(String text) {
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  @Override
  public Map<ThreadStatus, Long> countByStatus() {
    Map<ThreadStatus, Long> counts = new EnumMap<>(ThreadStatus.class);
    for (ThreadStatus each : ThreadStatus.values()) {
      counts.put(each, 0L);
    }
    sql.sql("select status, count(*) from workflow_thread group by status")
        .query(
            rs -> {
              counts.put(ThreadStatus.fromWireName(rs.getString(1)), rs.getLong(2));
            });
    return counts;
  }

  @Override
  public List<WorkflowThread> claim(String owner, Instant now, Instant leaseUntil, int limit) {
    return writing.execute(
        status -> {
          // two queries rather than one with an "or": each can use its index, so a claim reads
          // the few claimable rows, not every finished thread stored. The first finds threads in
          // another status that an owner left claimed when it stopped renewing (a crash while a
          // paused thread's step was in flight): rare, read through the claim owner index.
          List<ThreadRow> locked =
              new ArrayList<>(
                  lockClaimable(
                      "claim_owner is not null and status not in ('pending', 'running')",
                      now,
                      limit));
          List<WorkflowThread> claimed =
              new ArrayList<>(locked.stream().map(ThreadRow::toDomain).toList());
          int wanted = limit - claimed.size();
          if (wanted > 0) {
            // one query per status, each read in its index's order (priority, then age) and
            // stopped after the rows it locks; the rows of both beyond the best ones stay free
            List<WorkflowThread> runnable = new ArrayList<>();
            for (String runnableStatus : List.of("pending", "running")) {
              lockClaimable("status = '" + runnableStatus + "'", now, wanted).stream()
                  .map(ThreadRow::toDomain)
                  .forEach(runnable::add);
            }
            runnable.sort(CLAIM_ORDER);
            claimed.addAll(runnable.subList(0, Math.min(wanted, runnable.size())));
          }
          if (claimed.isEmpty()) {
            return List.of();
          }
          sql.sql(
                  "update workflow_thread set claim_owner = :owner, claim_until = :until"
                      + " where thread_id in (:ids)")
              .param("owner", owner)
              .param("until", SqlTimes.parameter(micros(leaseUntil)))
              .param("ids", uuids(claimed.stream().map(WorkflowThread::id).toList()))
              .update();
          claimed.sort(CLAIM_ORDER);
          return claimed;
        });
  }

  /**
   * Locks up to {@code limit} threads matching {@code condition} whose claim has ended, highest
   * priority first, then oldest, skipping rows that another transaction holds (another node
   * claiming at the same moment, or a thread being written). Plain SQL that H2 and PostgreSQL both
   * accept.
   */
  private List<ThreadRow> lockClaimable(String condition, Instant now, int limit) {
    return sql.sql(
            "select "
                + ThreadRow.COLUMNS
                + " from workflow_thread where "
                + condition
                + " and (claim_until is null or claim_until <= ?)"
                + " order by priority desc, created_at limit ? for update skip locked")
        .params(SqlTimes.parameter(micros(now)), limit)
        .query(ThreadRow::read)
        .list();
  }

  /**
   * The earliest end of a wait that no owner holds (a start time or a retry backoff ahead) among
   * the live threads: on H2 through the claim index, on PostgreSQL through its index of live rows.
   */
  @Override
  public Optional<Instant> nextClaimableAt(Instant now) {
    // one row, whose minimum is null when no thread waits
    return sql.sql(
            "select min(claim_until) as claim_until from workflow_thread"
                + " where status in ('pending', 'running') and claim_owner is null"
                + " and claim_until > ?")
        .param(SqlTimes.parameter(micros(now)))
        .query((rs, rowNum) -> Optional.ofNullable(SqlTimes.instant(rs, "claim_until")))
        .single();
  }

  @Override
  public Set<ThreadId> renew(String owner, Collection<ThreadId> ids, Instant leaseUntil) {
    if (ids.isEmpty()) {
      return Set.of();
    }
    return writing.execute(
        status -> {
          sql.sql(
                  "update workflow_thread set claim_until = :until"
                      + " where claim_owner = :owner and thread_id in (:ids)")
              .param("until", SqlTimes.parameter(micros(leaseUntil)))
              .param("owner", owner)
              .param("ids", uuids(ids))
              .update();
          return held(owner, ids);
        });
  }

  @Override
  public Set<ThreadId> held(String owner, Collection<ThreadId> ids) {
    if (ids.isEmpty()) {
      return Set.of();
    }
    return new HashSet<>(
        sql.sql(
                "select thread_id from workflow_thread"
                    + " where claim_owner = :owner and thread_id in (:ids)")
            .param("owner", owner)
            .param("ids", uuids(ids))
            .query((rs, rowNum) -> new ThreadId(rs.getObject(1, UUID.class)))
            .list());
  }

  @Override
  public void release(ThreadId id, String owner, Instant notBefore) {
    sql.sql(
            "update workflow_thread set claim_owner = null, claim_until = ?"
                + " where thread_id = ? and claim_owner = ?")
        .params(SqlTimes.parameter(micros(notBefore)), id.value(), owner)
        .update();
  }

  @Override
  public void wake(ThreadId id) {
    sql.sql(
            "update workflow_thread set claim_until = null"
                + " where thread_id = ? and claim_owner is null and claim_until is not null")
        .param(id.value())
        .update();
  }

  /** Ends other owners' claims but keeps their names, which mark the threads as left claimed. */
  @Override
  public int expireOtherOwners(String owner) {
    return sql.sql(
            "update workflow_thread set claim_until = null"
                + " where claim_owner is not null and claim_owner <> ?")
        .param(owner)
        .update();
  }

  private void eventsCommitted(WorkflowThread thread) {
    if (!thread.newEvents().isEmpty()) {
      eventLog.committed();
    }
  }

  private static List<UUID> uuids(Collection<ThreadId> ids) {
    return ids.stream().map(ThreadId::value).toList();
  }

  private static SqlParameterValue text(String value) {
    return new SqlParameterValue(Types.VARCHAR, value);
  }
}
