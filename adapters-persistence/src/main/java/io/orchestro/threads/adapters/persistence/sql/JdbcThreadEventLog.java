package io.orchestro.threads.adapters.persistence.sql;

import io.orchestro.threads.adapters.persistence.StoredJson;
import io.orchestro.threads.application.port.out.ThreadEventLog;
import io.orchestro.threads.domain.EventFilter;
import io.orchestro.threads.domain.LoggedEvent;
import io.orchestro.threads.domain.Progress;
import io.orchestro.threads.domain.ThreadEvent;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The event log in {@code thread_event} (H2 or PostgreSQL): {@link JdbcWorkflowThreadStore} has
 * each write's events inserted ({@link #append}) in the write's transaction, unnumbered; this class
 * numbers them after commit and serves the readers.
 *
 * <p>Why not number them in the writing transaction, with an identity column? Because numbers taken
 * in a transaction become visible when it commits, and transactions do not commit in the order they
 * took their numbers: the one that took 10 may commit after the one that took 11. A reader that had
 * seen 11 and resumes "after 11" would then never see 10. So the writing transactions insert events
 * with {@code seq} NULL (their {@code id} keeps the insertion order), and a separate, short
 * numbering transaction gives numbers to every committed unnumbered event, in {@code id} order,
 * continuing from the one row of {@code event_sequence}, which it locks first. That lock makes
 * numbering transactions run one after another, on every node of a shared database; each one's
 * numbers are all above the previous one's, and the previous one has committed before the next one
 * starts. Readers only read numbered events, so once they can see N they can see everything below
 * N. A thread's events keep their order: its writes are serialised by its row's lock, so its later
 * events have higher ids, and a later numbering round gives higher numbers.
 *
 * <p>The cost: writes stay as parallel as they were (they touch no shared row), and each event
 * becomes readable one short transaction after its write commits. A numbering round numbers
 * whatever has piled up, so under load one round serves many writes. The alternative, a counter row
 * locked at the end of every writing transaction, would make every write on every node commit one
 * at a time.
 *
 * <p>On H2 the events are numbered in the writing transaction instead ({@link
 * #numbersInWritingTransaction}): each such transaction locks the row of {@code event_sequence}
 * once its other changes are made, inserts its events with the next numbers and holds the lock
 * until it commits, so that numbers become visible in the order they were given. That serialises
 * the ends of writing transactions, which H2 serialises anyway (each commit writes a chunk of its
 * one file under one lock), and it spares every event an update of its row and of each of the
 * table's indexes (H2 removes and adds a row in every index of its table on any update) and every
 * batch of writes a commit of its own: on H2 the numbering after commit cost a fifth of the
 * engine's CPU per step (docs/benchmarks.md).
 *
 * <p>Who numbers: whoever drives {@link #numberCommittedEvents}, the service's numbering thread,
 * created with the application. It is woken by {@link #onCommitted} right after the store commits
 * events, and runs every safety-net interval on its own, so that events a writer could not number
 * (it crashed right after committing, say) are numbered by the next round of any node.
 */
public final class JdbcThreadEventLog implements ThreadEventLog {

  /** Events numbered per numbering transaction at most; a round runs as many as it needs. */
  static final int NUMBERING_BATCH = 1000;

  private static final String COLUMNS =
      "seq, thread_id, type, at, status, step, progress_completed, progress_total,"
          + " progress_current_step, progress_percent, attempt, detail, owner, actor";

  private final JdbcTemplate jdbc;
  private final TransactionTemplate numbering;
  private final TransactionTemplate progressWrites;
  private final List<Runnable> committedListeners = new CopyOnWriteArrayList<>();
  private final List<Runnable> appendedListeners = new CopyOnWriteArrayList<>();
  private final boolean numbersInWritingTransaction;

  /**
   * Whether a numbering transaction numbers its events with one {@code update ... from} statement
   * (PostgreSQL) rather than one update per event (H2, which has no such statement).
   */
  private final boolean numbersInOneStatement;

  /** Numbers events in the writing transaction on H2, after commit on any other database. */
  public JdbcThreadEventLog(DataSource dataSource) {
    this(dataSource, SqlDatabases.isH2(dataSource));
  }

  /**
   * @param numbersInWritingTransaction whether each writing transaction numbers its own events,
   *     holding the lock of {@code event_sequence} until it commits (for H2), rather than a
   *     numbering transaction numbering them after commit
   */
  public JdbcThreadEventLog(DataSource dataSource, boolean numbersInWritingTransaction) {
    this.jdbc = new JdbcTemplate(dataSource);
    DataSourceTransactionManager transactions = new DataSourceTransactionManager(dataSource);
    this.numbering = new TransactionTemplate(transactions);
    this.progressWrites = new TransactionTemplate(transactions);
    this.numbersInWritingTransaction = numbersInWritingTransaction;
    this.numbersInOneStatement = !SqlDatabases.isH2(dataSource);
  }

  /**
   * Registers something to run each time a transaction of this process that inserted events has
   * committed: the numbering thread's wake-up. It runs on the writer's thread and must return
   * quickly.
   */
  public void onCommitted(Runnable listener) {
    committedListeners.add(listener);
  }

  /**
   * Appends events, unnumbered, in the order given, so that their {@code id}, and so the numbers
   * they get after commit, follow that order; on H2 numbered at once, the caller's transaction
   * holding the numbering lock from here until it ends, so it must be the transaction's last
   * change. Joins the caller's transaction (the thread store's write, on the same DataSource).
   */
  void append(List<ThreadEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    if (!numbersInWritingTransaction) {
      insert(events, null);
      return;
    }
    // joins the caller's transaction; one of its own for a caller without one
    numbering.executeWithoutResult(
        status -> {
          long last =
              jdbc.queryForObject(
                  "SELECT last_seq FROM event_sequence WHERE id = 1 FOR UPDATE", Long.class);
          insert(events, last);
          jdbc.update("UPDATE event_sequence SET last_seq = ? WHERE id = 1", last + events.size());
        });
  }

  /** Inserts the events, unnumbered, or numbered from {@code last + 1} on in their order. */
  private void insert(List<ThreadEvent> events, Long last) {
    AtomicLong next = new AtomicLong(last == null ? 0 : last);
    jdbc.batchUpdate(
        "INSERT INTO thread_event (thread_id, type, at, status, step, progress_completed,"
            + " progress_total, progress_current_step, progress_percent, attempt, detail, owner,"
            + " actor, seq)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        events,
        events.size(),
        (statement, event) -> {
          statement.setObject(1, event.threadId().value());
          statement.setString(2, event.type().wireName());
          statement.setObject(3, SqlTimes.utc(StoredJson.micros(event.at())));
          statement.setString(4, event.status().wireName());
          statement.setString(5, event.step());
          statement.setInt(6, event.progress().completed());
          statement.setInt(7, event.progress().total());
          statement.setString(8, event.progress().currentStep());
          statement.setInt(9, event.progress().percent());
          statement.setObject(10, event.attempt(), Types.INTEGER);
          statement.setString(11, event.detail());
          statement.setString(12, event.owner());
          statement.setString(13, event.actor());
          statement.setObject(14, last == null ? null : next.incrementAndGet(), Types.BIGINT);
        });
  }

  /**
   * Appends the progress event and, in the same transaction, deletes the step's earlier ones: a
   * step keeps one progress event, its newest, however long it streams. A reader that had not read
   * a deleted one yet sees the newest instead (the contract lets clients miss intermediate ones).
   */
  @Override
  public void appendProgress(ThreadEvent progress) {
    if (progress.type() != ThreadEventType.STEP_PROGRESS) {
      throw new IllegalArgumentException("not a step_progress event: " + progress.type());
    }
    progressWrites.executeWithoutResult(
        status -> {
          jdbc.update(
              "DELETE FROM thread_event WHERE thread_id = ? AND type = ? AND step = ?",
              progress.threadId().value(),
              ThreadEventType.STEP_PROGRESS.wireName(),
              progress.step());
          append(List.of(progress));
        });
    committed();
  }

  @Override
  public void appendOnItsOwn(ThreadEvent event) {
    progressWrites.executeWithoutResult(status -> append(List.of(event)));
    committed();
  }

  /**
   * A transaction that inserted events has committed: they want their numbers now, or, numbered
   * already, their readers.
   */
  void committed() {
    (numbersInWritingTransaction ? appendedListeners : committedListeners).forEach(Runnable::run);
  }

  /**
   * One round of the numbering thread. Signalled (events were committed here), it numbers at once;
   * unsignalled (the safety net), it first looks whether there is anything to number, which is
   * cheaper than the numbering transaction. After numbering it tells {@link #onAppended} listeners.
   */
  public void numberCommittedEvents(boolean signalled) {
    if (signalled || hasUnnumbered()) {
      numberCommitted();
      // even when another node numbered them first, this process's events are readable now
      appendedListeners.forEach(Runnable::run);
    }
  }

  private boolean hasUnnumbered() {
    return !jdbc.queryForList(
            "SELECT id FROM thread_event WHERE seq IS NULL ORDER BY id LIMIT 1", Long.class)
        .isEmpty();
  }

  /**
   * Numbers every event committed so far that has no number yet, in insertion order, one batch per
   * transaction.
   *
   * @return how many this call numbered
   */
  int numberCommitted() {
    int total = 0;
    int numbered;
    do {
      numbered = numberBatch();
      total += numbered;
    } while (numbered == NUMBERING_BATCH);
    return total;
  }

  private int numberBatch() {
    Integer numbered =
        numbering.execute(
            status -> {
              // first the lock: numbering transactions run one at a time, and the query below,
              // run after it is granted, sees every event committed until then
              long last =
                  jdbc.queryForObject(
                      "SELECT last_seq FROM event_sequence WHERE id = 1 FOR UPDATE", Long.class);
              if (numbersInOneStatement) {
                return numberInOneStatement(last);
              }
              List<Long> ids =
                  jdbc.queryForList(
                      "SELECT id FROM thread_event WHERE seq IS NULL ORDER BY id LIMIT ?",
                      Long.class,
                      NUMBERING_BATCH);
              if (ids.isEmpty()) {
                return 0;
              }
              AtomicLong next = new AtomicLong(last);
              jdbc.batchUpdate(
                  "UPDATE thread_event SET seq = ? WHERE id = ?",
                  ids,
                  ids.size(),
                  (statement, id) -> {
                    statement.setLong(1, next.incrementAndGet());
                    statement.setLong(2, id);
                  });
              jdbc.update("UPDATE event_sequence SET last_seq = ? WHERE id = 1", next.get());
              return ids.size();
            });
    return numbered == null ? 0 : numbered;
  }

  /**
   * Numbers up to a batch of unnumbered events from {@code last + 1} on, in {@code id} order, in
   * one statement: on PostgreSQL an update per event cost each event a statement of its own to
   * parse, plan and run, about as many statements as the step writes themselves
   * (docs/benchmarks.md). Runs in the numbering transaction, after its lock.
   *
   * @return how many it numbered
   */
  private int numberInOneStatement(long last) {
    int numbered =
        jdbc.update(
            "UPDATE thread_event e SET seq = ? + n.rank"
                + " FROM (SELECT id, row_number() OVER (ORDER BY id) AS rank FROM thread_event"
                + " WHERE seq IS NULL ORDER BY id LIMIT ?) n"
                + " WHERE e.id = n.id",
            last,
            NUMBERING_BATCH);
    if (numbered > 0) {
      jdbc.update("UPDATE event_sequence SET last_seq = ? WHERE id = 1", last + numbered);
    }
    return numbered;
  }

  // ---- ThreadEventLog ----

  @Override
  public List<LoggedEvent> read(long after, EventFilter filter, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be 1 or more");
    }
    StringBuilder sql =
        new StringBuilder("SELECT ").append(COLUMNS).append(" FROM thread_event WHERE seq > ?");
    List<Object> arguments = new ArrayList<>();
    arguments.add(after);
    if (filter.owner() != null) {
      sql.append(" AND owner = ?");
      arguments.add(filter.owner());
    }
    if (filter.threadId() != null) {
      sql.append(" AND thread_id = ?");
      arguments.add(filter.threadId().value());
    }
    if (!filter.types().isEmpty()) {
      sql.append(" AND type IN (")
          .append(String.join(", ", Collections.nCopies(filter.types().size(), "?")))
          .append(')');
      filter.types().forEach(type -> arguments.add(type.wireName()));
    }
    sql.append(" ORDER BY seq LIMIT ?");
    arguments.add(limit);
    return jdbc.query(sql.toString(), JdbcThreadEventLog::loggedEvent, arguments.toArray());
  }

  /** The last number given, which stays the last one even when events are deleted. */
  @Override
  public long lastSeq() {
    return jdbc.queryForObject("SELECT last_seq FROM event_sequence WHERE id = 1", Long.class);
  }

  @Override
  public long prunedUpTo() {
    return jdbc.queryForObject("SELECT up_to FROM event_log_pruned WHERE id = 1", Long.class);
  }

  /**
   * Reads the oldest numbered events on the {@code seq} index and deletes the run of them recorded
   * before {@code before}, stopping at the first younger one, so that the log stays a whole run of
   * numbers after {@link #prunedUpTo}. Two nodes pruning at once delete the same rows and raise the
   * mark to the same number.
   */
  @Override
  public int pruneBefore(Instant before, int limit) {
    List<LoggedEvent> oldest =
        jdbc.query(
            "SELECT " + COLUMNS + " FROM thread_event WHERE seq > ? ORDER BY seq LIMIT ?",
            JdbcThreadEventLog::loggedEvent,
            prunedUpTo(),
            limit);
    long upTo = 0;
    for (LoggedEvent event : oldest) {
      if (!event.event().at().isBefore(before)) {
        break;
      }
      upTo = event.seq();
    }
    if (upTo == 0) {
      return 0;
    }
    long lastPruned = upTo;
    Integer pruned =
        numbering.execute(
            status -> {
              int deleted = jdbc.update("DELETE FROM thread_event WHERE seq <= ?", lastPruned);
              jdbc.update(
                  "UPDATE event_log_pruned SET up_to = ? WHERE id = 1 AND up_to < ?",
                  lastPruned,
                  lastPruned);
              return deleted;
            });
    return pruned == null ? 0 : pruned;
  }

  @Override
  public void onAppended(Runnable listener) {
    appendedListeners.add(listener);
  }

  private static LoggedEvent loggedEvent(ResultSet row, int rowNumber) throws SQLException {
    ThreadEvent event =
        new ThreadEvent(
            ThreadEventType.fromWireName(row.getString("type")),
            new ThreadId(row.getObject("thread_id", UUID.class)),
            SqlTimes.instant(row, "at"),
            ThreadStatus.fromWireName(row.getString("status")),
            row.getString("step"),
            new Progress(
                row.getInt("progress_completed"),
                row.getInt("progress_total"),
                row.getString("progress_current_step"),
                row.getInt("progress_percent")),
            row.getObject("attempt", Integer.class),
            row.getString("detail"),
            row.getString("owner"),
            row.getString("actor"));
    return new LoggedEvent(row.getLong("seq"), event);
  }
}
