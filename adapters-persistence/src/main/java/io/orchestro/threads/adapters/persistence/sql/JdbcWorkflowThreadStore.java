package io.orchestro.threads.adapters.persistence.sql;

import static io.orchestro.threads.adapters.persistence.StoredJson.micros;

import io.orchestro.threads.adapters.persistence.GroupCommit;
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
import io.orchestro.threads.domain.ThreadStep;
import io.orchestro.threads.domain.WorkflowThread;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
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
 * step write is one conditional {@code update} (version and claim in its {@code where}), one batch
 * of updates of the rows of the steps it changed ({@code thread_step}; {@link
 * WorkflowThread#changedSteps()}), and one batch of event inserts: its size does not grow with the
 * thread's steps.
 */
public final class JdbcWorkflowThreadStore
    implements WorkflowThreadStore, ThreadClaims, AutoCloseable {

  /** Writer threads of the engine's step writes, unless told otherwise. */
  public static final int DEFAULT_WRITERS = 2;

  /** At most this many step writes share a transaction. */
  static final int MAX_BATCH = 64;

  /**
   * A thread to insert, as the group commit of single creates hands it to a batch: claimed by
   * {@code owner} until {@code leaseUntil}, or unclaimed when the owner is null.
   */
  private record NewThread(WorkflowThread thread, String owner, Instant leaseUntil) {

    static NewThread unclaimed(WorkflowThread thread) {
      return new NewThread(thread, null, null);
    }
  }

  /** The fenced write of one thread, as the group commit hands it to a batch. */
  private record FencedWrite(WorkflowThread thread, String owner) {}

  /** A write of a batch, its rows made ready before the transaction begins. */
  private record Prepared(
      GroupCommit.Pending<FencedWrite, WorkflowThread> pending,
      ThreadRow row,
      List<StepRow> changedSteps) {

    WorkflowThread thread() {
      return pending.item().thread();
    }

    String owner() {
      return pending.item().owner();
    }
  }

  /** The order in which claimed threads are handed to the engine, as the claim query reads them. */
  private static final Comparator<WorkflowThread> CLAIM_ORDER =
      Comparator.comparingInt(WorkflowThread::priority)
          .reversed()
          .thenComparing(WorkflowThread::createdAt);

  private final JdbcClient sql;
  private final JdbcTemplate batches;
  private final TransactionTemplate writing;
  private final JdbcThreadEventLog eventLog;
  private final GroupCommit<FencedWrite, WorkflowThread> stepWrites;
  private final GroupCommit<NewThread, WorkflowThread> creates;

  /**
   * The conditions, each a query of its own, under which a runnable thread's claim has ended. On H2
   * the two kinds apart: an "or" of them makes H2 read every row of the status, the threads in
   * flight (claimed, their lease ahead) among them, so a claim cost as much as the threads running;
   * apart, each reads its range of the claim index ({@code status, claim_until}) and no claimed
   * row. On PostgreSQL one query: its index of live rows in claim order serves the "or", and a
   * query of the ended leases alone would read that index to its end.
   */
  private final List<String> claimEndedConditions;

  /** Whether the database keeps the threads' counts in {@code thread_count} (PostgreSQL, V23). */
  private final boolean countsKept;

  /**
   * A store whose engine's step writes go through {@value #DEFAULT_WRITERS} writer threads.
   *
   * @param eventLog numbers the events this store appends, once their transaction has committed
   */
  public JdbcWorkflowThreadStore(DataSource dataSource, JdbcThreadEventLog eventLog) {
    this(dataSource, eventLog, DEFAULT_WRITERS);
  }

  /**
   * @param eventLog numbers the events this store appends, once their transaction has committed
   * @param writers how many threads write the engine's step writes ({@link #updateIfHeld}), each
   *     taking every such write that is waiting into one transaction
   */
  public JdbcWorkflowThreadStore(DataSource dataSource, JdbcThreadEventLog eventLog, int writers) {
    this.sql = JdbcClient.create(dataSource);
    this.batches = new JdbcTemplate(dataSource);
    this.eventLog = eventLog;
    boolean h2 = SqlDatabases.isH2(dataSource);
    this.countsKept = !h2;
    this.claimEndedConditions =
        h2
            ? List.of("claim_until is null", "claim_until <= ?")
            : List.of("(claim_until is null or claim_until <= ?)");
    // JDBC transactions of its own: no JPA session to open for statements that need none
    this.writing = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    this.stepWrites =
        new GroupCommit<>("orchestro-step-writer", writers, MAX_BATCH, this::writeTogether);
    this.creates =
        new GroupCommit<>("orchestro-create-writer", writers, MAX_BATCH, this::insertTogether);
  }

  /**
   * Stops the step and create writers; the engine, which hands them its writes, has stopped before.
   */
  @Override
  public void close() {
    stepWrites.close();
    creates.close();
  }

  /**
   * Stores the thread with version 0, in one transaction with the other single inserts waiting at
   * that moment ({@link #insertTogether}); returns once committed.
   */
  @Override
  public WorkflowThread insert(WorkflowThread thread) {
    return creates.submit(NewThread.unclaimed(thread));
  }

  /**
   * As {@link #insert}, with the claim in the row: the claimers' queries pass it over until its
   * lease ends, and take it over then if its owner has not renewed it.
   */
  @Override
  public boolean insertsClaimed() {
    return true;
  }

  @Override
  public WorkflowThread insertClaimed(WorkflowThread thread, String owner, Instant leaseUntil) {
    return creates.submit(new NewThread(thread, owner, leaseUntil));
  }

  /**
   * Inserts the single creates that were waiting together, as {@link #insertAll} does: on H2 each
   * commit writes a chunk to the file, so sixteen clients creating one thread each cost one commit
   * rather than sixteen. When the transaction fails (an id taken, by another request or by a second
   * create of the same id in this batch), each is inserted again alone, so that only the one at
   * fault fails.
   */
  private void insertTogether(List<GroupCommit.Pending<NewThread, WorkflowThread>> pendings) {
    if (pendings.size() > 1 && insertedAsOne(pendings)) {
      return;
    }
    for (GroupCommit.Pending<NewThread, WorkflowThread> pending : pendings) {
      try {
        pending.succeed(insertRows(List.of(pending.item())).get(0));
      } catch (RuntimeException refused) {
        pending.fail(refused);
      }
    }
  }

  /**
   * Inserts these threads as one batch, the way the group commit inserts the single creates waiting
   * together: for tests, which cannot time a batch's make-up from outside.
   */
  List<CompletableFuture<WorkflowThread>> insertAsOneBatch(List<WorkflowThread> threads) {
    return GroupCommit.asOneBatch(
        threads.stream().map(NewThread::unclaimed).toList(), this::insertTogether);
  }

  /** Whether the inserts went in one transaction; each succeeded if so, none was touched if not. */
  private boolean insertedAsOne(List<GroupCommit.Pending<NewThread, WorkflowThread>> pendings) {
    List<WorkflowThread> stored;
    try {
      stored = insertRows(pendings.stream().map(GroupCommit.Pending::item).toList());
    } catch (RuntimeException batchFailed) {
      return false;
    }
    for (int i = 0; i < stored.size(); i++) {
      pendings.get(i).succeed(stored.get(i));
    }
    return true;
  }

  /** Stores the threads with version 0, their rows and events in one transaction. */
  @Override
  public List<WorkflowThread> insertAll(List<WorkflowThread> threads) {
    return insertRows(threads.stream().map(NewThread::unclaimed).toList());
  }

  @Override
  public List<WorkflowThread> insertAllClaimed(
      List<WorkflowThread> threads, String owner, List<Instant> leaseUntil) {
    return insertRows(
        IntStream.range(0, threads.size())
            .mapToObj(
                i ->
                    leaseUntil.get(i) == null
                        ? NewThread.unclaimed(threads.get(i))
                        : new NewThread(threads.get(i), owner, leaseUntil.get(i)))
            .toList());
  }

  /** {@link #insertAll}, each thread with its claim, if it has one. */
  private List<WorkflowThread> insertRows(List<NewThread> inserts) {
    List<WorkflowThread> threads = inserts.stream().map(NewThread::thread).toList();
    List<ThreadRow> rows =
        threads.stream().map(thread -> ThreadRow.of(thread.snapshot(), 0)).toList();
    // every step, changed or not: a thread restored from elsewhere (a store copy) has none changed
    List<List<StepRow>> stepRows =
        threads.stream()
            .map(
                thread ->
                    stepRows(thread, IntStream.range(0, thread.steps().size()).boxed().toList()))
            .toList();
    List<ThreadEvent> events =
        threads.stream().flatMap(thread -> thread.newEvents().stream()).toList();
    try {
      writing.executeWithoutResult(
          status -> {
            batches.batchUpdate(
                "insert into workflow_thread ("
                    + ThreadRow.COLUMNS
                    + ", priority, claim_owner, claim_until, search_text)"
                    + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                IntStream.range(0, rows.size())
                    .mapToObj(i -> insertParameters(rows.get(i), inserts.get(i)))
                    .toList());
            batches.batchUpdate(
                StepRow.INSERT,
                stepRows.stream().flatMap(List::stream).map(StepRow::insertParameters).toList());
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
    return IntStream.range(0, rows.size())
        .mapToObj(
            i -> rows.get(i).toDomain(stepRows.get(i).stream().map(StepRow::toDomain).toList()))
        .toList();
  }

  /** The row's columns, then the thread's priority, claim and search text (the insert). */
  private static Object[] insertParameters(ThreadRow row, NewThread insert) {
    WorkflowThread thread = insert.thread();
    return new Object[] {
      row.threadId(),
      row.owner(),
      row.title(),
      row.workflowType(),
      row.workflowVersion(),
      row.status(),
      row.request(),
      text(row.errorMessage()),
      SqlTimes.parameter(row.createdAt()),
      SqlTimes.parameter(row.startTime()),
      SqlTimes.parameter(row.lastUpdated()),
      SqlTimes.parameter(row.finishedAt()),
      row.version(),
      thread.priority(),
      text(insert.owner()),
      // a start time ahead ends the claim no owner holds yet, as a retry backoff does
      SqlTimes.parameter(micros(insert.owner() != null ? insert.leaseUntil() : thread.startAt())),
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
    return writeAlone(thread, null);
  }

  /**
   * The fenced write of the claim's owner: refused unless the owner still holds the claim; ends the
   * claim once the thread needs no worker. Written by the group commit, with the other step writes
   * waiting at that moment, in one transaction ({@link #writeTogether}); returns once committed.
   */
  @Override
  public WorkflowThread updateIfHeld(WorkflowThread thread, String owner) {
    return stepWrites.submit(new FencedWrite(thread, owner));
  }

  /**
   * Writes a batch of fenced step writes in one transaction: each thread's row by its own
   * conditional update (version and claim), then the rows of the steps they changed and their
   * events, all in batches of statements. A thread whose condition fails is left out and refused
   * alone after the commit, without failing the others. When the transaction itself fails (one
   * thread's value the database refuses, a lock given up), each write is tried again alone, so that
   * only the one at fault fails. Threads are written in the order of their ids, as renewals lock
   * them, so that two such transactions never wait for each other in a circle.
   */
  private void writeTogether(List<GroupCommit.Pending<FencedWrite, WorkflowThread>> pendings) {
    if (pendings.size() == 1) {
      writeAlone(pendings.get(0));
      return;
    }
    List<Prepared> writes =
        pendings.stream()
            .map(
                pending -> {
                  WorkflowThread thread = pending.item().thread();
                  return new Prepared(
                      pending,
                      ThreadRow.of(thread.snapshot(), thread.version() + 1),
                      stepRows(thread, thread.changedSteps()));
                })
            .sorted(Comparator.comparing(write -> write.row().threadId(), IN_DATABASE_ORDER))
            .toList();
    boolean[] written = new boolean[writes.size()];
    try {
      writing.executeWithoutResult(
          status -> {
            int[] counts =
                batches.batchUpdate(
                    FENCED_UPDATE,
                    writes.stream()
                        .map(
                            write ->
                                updateParameters(
                                    write.row(),
                                    write.thread().version(),
                                    write.owner(),
                                    endsClaim(write.thread(), write.owner()),
                                    false))
                        .toList());
            List<Object[]> steps = new ArrayList<>();
            List<ThreadEvent> events = new ArrayList<>();
            for (int i = 0; i < writes.size(); i++) {
              written[i] = counts[i] > 0;
              if (written[i]) {
                writes.get(i).changedSteps().forEach(step -> steps.add(step.updateParameters()));
                events.addAll(writes.get(i).thread().newEvents());
              }
            }
            batches.batchUpdate(StepRow.UPDATE, steps);
            eventLog.append(events);
          });
    } catch (RuntimeException batchFailed) {
      writes.forEach(write -> writeAlone(write.pending()));
      return;
    }
    eventLog.committed();
    for (int i = 0; i < writes.size(); i++) {
      Prepared write = writes.get(i);
      if (written[i]) {
        write
            .pending()
            .succeed(write.row().toDomain(storedSteps(write.thread(), write.changedSteps())));
      } else {
        write.pending().fail(refusal(write.thread(), write.owner()));
      }
    }
  }

  /**
   * Writes these threads' fenced writes as one batch, the way the group commit writes whatever is
   * waiting: for tests, which cannot time a batch's make-up from outside.
   */
  List<CompletableFuture<WorkflowThread>> writeAsOneBatch(
      List<WorkflowThread> threads, String owner) {
    return GroupCommit.asOneBatch(
        threads.stream().map(thread -> new FencedWrite(thread, owner)).toList(),
        this::writeTogether);
  }

  private void writeAlone(GroupCommit.Pending<FencedWrite, WorkflowThread> pending) {
    try {
      pending.succeed(writeAlone(pending.item().thread(), pending.item().owner()));
    } catch (RuntimeException refused) {
      pending.fail(refused);
    }
  }

  /**
   * The update of a thread's row if its version is still the one loaded; the claim ends with it
   * when the write says so ({@link #endsClaim}). Parameters: {@link #updateParameters}.
   */
  private static final String UPDATE =
      "update workflow_thread set title = ?, status = ?, request = ?, error_message = ?,"
          + " start_time = ?, last_updated = ?, finished_at = ?, version = ?,"
          + " claim_owner = case when ? then null else claim_owner end,"
          + " claim_until = case when ? then null else claim_until end"
          + " where thread_id = ? and version = ?";

  /**
   * The order of thread ids in the database (H2 and PostgreSQL compare UUIDs as unsigned numbers;
   * {@link UUID#compareTo} compares them signed): the order in which a batch of step writes and a
   * renewal lock rows, so that neither waits for the other in a circle. PostgreSQL breaks such a
   * circle only after {@code deadlock_timeout} (1 s), with both writers stalled meanwhile.
   */
  static final Comparator<UUID> IN_DATABASE_ORDER =
      (a, b) -> {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0
            ? high
            : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
      };

  /**
   * {@link #UPDATE} fenced by the claim: the owner's write. The owner is compared with {@code is
   * not distinct from} (the same test, as the owner given is never null) rather than {@code =}:
   * from {@code claim_owner = ?} PostgreSQL infers {@code claim_owner is not null}, which lets it
   * read the partial index of live threads (V11.2) instead of the primary key. It did so whenever
   * the statistics were taken with few threads live (100,000 finished ones stored), and then each
   * step's write read every live thread's index entries, dead ones included, and their rows.
   */
  private static final String FENCED_UPDATE = UPDATE + " and claim_owner is not distinct from ?";

  /**
   * The parameters of {@link #UPDATE}, or of {@link #FENCED_UPDATE} when there is an owner.
   *
   * @param endsWait a person's write that settles the thread: whatever it waited for (a parked
   *     attempt, a backoff) is over, so that a resume runs it at once
   */
  private static Object[] updateParameters(
      ThreadRow row, long loadedVersion, String owner, boolean endsClaim, boolean endsWait) {
    List<Object> parameters =
        new ArrayList<>(
            List.of(
                row.title(),
                row.status(),
                row.request(),
                text(row.errorMessage()),
                SqlTimes.parameter(row.startTime()),
                SqlTimes.parameter(row.lastUpdated()),
                SqlTimes.parameter(row.finishedAt()),
                row.version(),
                endsClaim,
                endsClaim || endsWait,
                row.threadId(),
                loadedVersion));
    if (owner != null) {
      parameters.add(owner);
    }
    return parameters.toArray();
  }

  /** One write in a transaction of its own: a person's change, or a fenced write on its own. */
  private WorkflowThread writeAlone(WorkflowThread thread, String owner) {
    ThreadRow row = ThreadRow.of(thread.snapshot(), thread.version() + 1);
    List<StepRow> changed = stepRows(thread, thread.changedSteps());
    try {
      writing.executeWithoutResult(
          status -> {
            // one statement checks the version (and the claim) and writes; the row stays locked
            // until commit, so the events appended below belong to the state stored with them
            int written =
                sql.sql(owner != null ? FENCED_UPDATE : UPDATE)
                    .params(
                        updateParameters(
                            row,
                            thread.version(),
                            owner,
                            endsClaim(thread, owner),
                            owner == null && thread.isSettled()))
                    .update();
            if (written == 0) {
              throw refusal(thread, owner);
            }
            batches.batchUpdate(
                StepRow.UPDATE, changed.stream().map(StepRow::updateParameters).toList());
            eventLog.append(thread.newEvents());
          });
    } catch (ConcurrencyFailureException lostRace) {
      // a lock the database gave up waiting for, or a serialization failure: another writer got
      // there first, and the caller reloads and tries again
      throw new ConcurrentThreadUpdateException(thread.id());
    }
    eventsCommitted(thread);
    return row.toDomain(storedSteps(thread, changed));
  }

  /** The rows of the thread's steps at these places. */
  private static List<StepRow> stepRows(WorkflowThread thread, Collection<Integer> places) {
    UUID id = thread.id().value();
    List<ThreadStep> steps = thread.steps();
    return places.stream().map(index -> StepRow.of(id, index, steps.get(index))).toList();
  }

  /**
   * The thread's steps as a reload would give them after a write of {@code written}: the steps
   * written as their rows read back, the others as loaded.
   */
  private static List<ThreadStep> storedSteps(WorkflowThread thread, List<StepRow> written) {
    List<ThreadStep> steps = new ArrayList<>(thread.steps());
    for (StepRow row : written) {
      steps.set(row.index(), row.toDomain());
    }
    return steps;
  }

  /**
   * The owner's write ends its claim once the thread needs no worker; a person's write ends it when
   * it finishes the thread (a cancel), so that the node working on it sees the claim gone at its
   * next check and cancels the agent. (A person's write that settles a thread also ends the wait of
   * its claim: see {@link #updateParameters}.)
   */
  private static boolean endsClaim(WorkflowThread thread, String owner) {
    return thread.isSettled() && (owner != null || thread.status().isFinished());
  }

  /** Why an update wrote no row: the claim is gone (fenced writes), or someone saved first. */
  private RuntimeException refusal(WorkflowThread thread, String owner) {
    if (owner == null) {
      return new ConcurrentThreadUpdateException(thread.id());
    }
    long stillHeld =
        sql.sql(
                "select count(*) from workflow_thread"
                    + " where thread_id = ? and claim_owner is not distinct from ?")
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
    return withSteps(
            sql.sql("select " + ThreadRow.COLUMNS + " from workflow_thread where thread_id = ?")
                .param(id.value())
                .query(ThreadRow::read)
                .list())
        .stream()
        .findFirst();
  }

  /** Their rows, then their steps: two queries for every {@link #IN_LIST_PART} threads. */
  @Override
  public Map<ThreadId, WorkflowThread> findAll(Collection<ThreadId> ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    List<ThreadRow> rows = new ArrayList<>();
    for (List<UUID> part : inListParts(ids.stream().map(ThreadId::value).distinct().toList())) {
      rows.addAll(
          sql.sql("select " + ThreadRow.COLUMNS + " from workflow_thread where thread_id in (:ids)")
              .param("ids", part)
              .query(ThreadRow::read)
              .list());
    }
    Map<ThreadId, WorkflowThread> found = new HashMap<>();
    withSteps(rows).forEach(thread -> found.put(thread.id(), thread));
    return found;
  }

  /**
   * The threads of these rows, in the same order, with their steps read in one query.
   *
   * <p>Why not a join: the thread's columns (its request's JSON among them) would come back once
   * per step, and the claim's {@code for update} would lock the step rows too.
   */
  private List<WorkflowThread> withSteps(List<ThreadRow> rows) {
    if (rows.isEmpty()) {
      return List.of();
    }
    Map<UUID, List<ThreadStep>> steps = new HashMap<>();
    for (List<UUID> part : inListParts(rows.stream().map(ThreadRow::threadId).toList())) {
      sql.sql(
              "select "
                  + StepRow.COLUMNS
                  + " from thread_step where thread_id in (:ids) order by thread_id, step_index")
          .param("ids", part)
          .query(StepRow::read)
          .list()
          .forEach(
              step ->
                  steps
                      .computeIfAbsent(step.threadId(), id -> new ArrayList<>())
                      .add(step.toDomain()));
    }
    return rows.stream()
        .map(row -> row.toDomain(steps.getOrDefault(row.threadId(), List.of())))
        .toList();
  }

  /**
   * Deletes the row (its steps and tasks go with it) without a version check and appends the
   * thread's events when it was there; the tasks that workers hold are marked cancelled first.
   */
  @Override
  public boolean delete(WorkflowThread thread) {
    Boolean deleted =
        writing.execute(
            status -> {
              markHeldTasksCancelled(thread);
              if (sql.sql("delete from workflow_thread where thread_id = ?")
                      .param(thread.id().value())
                      .update()
                  == 0) {
                status.setRollbackOnly();
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
   * Marks the thread's tasks that a worker holds as cancelled ({@code cancelled_worker_task}, whose
   * rows outlive the thread's), as of the deletion's time, and removes the marks whose lease has
   * run out by then. The thread's queued and leased tasks are locked first, so a poll leasing one
   * at the same moment has either committed its lease, which is marked, or skips the task, which
   * goes with the thread.
   */
  private void markHeldTasksCancelled(WorkflowThread thread) {
    Object at = SqlTimes.parameter(micros(thread.lastUpdated()));
    sql.sql("delete from cancelled_worker_task where lease_until <= ?").param(at).update();
    sql.sql(
            "select task_id from worker_task"
                + " where thread_id = ? and state in ('queued', 'leased') for update")
        .param(thread.id().value())
        .query((row, number) -> row.getObject(1))
        .list();
    sql.sql(
            "insert into cancelled_worker_task (task_id, owner, lease_until)"
                + " select t.task_id, w.owner, t.lease_until"
                + " from worker_task t join workflow_thread w on w.thread_id = t.thread_id"
                + " where t.thread_id = ? and t.state = 'leased' and t.lease_until > ?")
        .params(thread.id().value(), at)
        .update();
  }

  /** Served by the index on (status, finished_at) of migration V13. */
  @Override
  public List<ThreadId> finishedBefore(ThreadStatus status, Instant before, int limit) {
    return sql.sql(
            "select thread_id from workflow_thread where status = ? and finished_at < ?"
                + " order by finished_at limit ?")
        .params(status.wireName(), SqlTimes.parameter(before), limit)
        .query((row, number) -> new ThreadId(row.getObject("thread_id", UUID.class)))
        .list();
  }

  /**
   * One transaction: the thread's row (its steps and tasks go with it, by their foreign keys, the
   * tasks that workers hold marked cancelled first) and its events, then its {@code thread_deleted}
   * appended.
   */
  @Override
  public boolean deleteUnchanged(WorkflowThread thread) {
    Boolean deleted =
        writing.execute(
            status -> {
              markHeldTasksCancelled(thread);
              if (sql.sql("delete from workflow_thread where thread_id = ? and version = ?")
                      .params(thread.id().value(), thread.version())
                      .update()
                  == 0) {
                status.setRollbackOnly();
                return false;
              }
              sql.sql("delete from thread_event where thread_id = ?")
                  .param(thread.id().value())
                  .update();
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
        withSteps(
            sql.sql(
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
                .list());
    long total;
    if (items.size() < query.size() && (!items.isEmpty() || query.offset() == 0)) {
      total = query.offset() + items.size();
    } else if (countsKept
        && query.createdAfter() == null
        && query.createdBefore() == null
        && query.text() == null) {
      total = keptCount(where, parameters);
    } else {
      total =
          sql.sql("select count(*) from workflow_thread" + where)
              .params(parameters)
              .query(Long.class)
              .single();
    }
    return new ThreadPage(items, query.page(), query.size(), total);
  }

  /**
   * The count of the threads matching {@code where}, from the counts the database keeps: the sum of
   * their rows, read in the same snapshot. {@code where} names only the columns that table shares
   * with {@code workflow_thread} (owner, status and type). When the sum read more than {@link
   * #COUNT_ROWS_TO_FOLD} rows, they are folded into one per key (none for a key no thread is in),
   * so that the next read is short.
   */
  private long keptCount(StringBuilder where, List<Object> parameters) {
    record Sum(long threads, long rows) {}
    Sum sum =
        sql.sql("select coalesce(sum(threads), 0), count(*) from thread_count" + where)
            .params(parameters)
            .query((rs, rowNum) -> new Sum(rs.getLong(1), rs.getLong(2)))
            .single();
    if (sum.rows() > COUNT_ROWS_TO_FOLD) {
      // one statement: its rows deleted and their sums inserted at once. A fold at the same moment
      // (another request, another node) waits for this one's row locks, then passes over the rows
      // this one deleted; rows added meanwhile are not in its snapshot and stay as they are.
      sql.sql(
              "with folded as (delete from thread_count"
                  + where
                  + " returning workflow_type, status, owner, threads)"
                  + " insert into thread_count (workflow_type, status, owner, threads)"
                  + " select workflow_type, status, owner, sum(threads) from folded"
                  + " group by workflow_type, status, owner having sum(threads) <> 0")
          .params(parameters)
          .update();
    }
    return sum.threads();
  }

  /**
   * How many rows of {@code thread_count} a count sums before it folds them: a thread's every move
   * from one status to another adds two (one key left, one entered), so the threads of a type that
   * run to their end are folded about every 30 of them, at their next list page.
   */
  private static final int COUNT_ROWS_TO_FOLD = 64;

  /** The {@code where} clause of the query's filters, adding their values to {@code parameters}. */
  private static StringBuilder whereOf(ListThreadsQuery query, List<Object> parameters) {
    StringBuilder where = new StringBuilder(" where 1 = 1");
    if (query.owner() != null) {
      where.append(" and owner = ?");
      parameters.add(query.owner());
    }
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
                      "claim_owner is not null and status not in ('pending', 'running')"
                          + " and (claim_until is null or claim_until <= ?)",
                      now,
                      limit));
          List<WorkflowThread> claimed = new ArrayList<>(withSteps(locked));
          int wanted = limit - claimed.size();
          if (wanted > 0) {
            // one query per status (and per kind of claim on H2), each read in its index's order
            // and stopped after the rows it locks; the rows beyond the best ones stay free
            List<ThreadRow> runnableRows = new ArrayList<>();
            for (String runnableStatus : List.of("pending", "running")) {
              for (String claimEnded : claimEndedConditions) {
                runnableRows.addAll(
                    lockClaimable(
                        "status = '" + runnableStatus + "' and " + claimEnded, now, wanted));
              }
            }
            List<WorkflowThread> runnable = new ArrayList<>(withSteps(runnableRows));
            runnable.sort(CLAIM_ORDER);
            claimed.addAll(runnable.subList(0, Math.min(wanted, runnable.size())));
          }
          if (claimed.isEmpty()) {
            return List.of();
          }
          for (List<UUID> part :
              inListParts(uuids(claimed.stream().map(WorkflowThread::id).toList()))) {
            sql.sql(
                    "update workflow_thread set claim_owner = :owner, claim_until = :until"
                        + " where thread_id in (:ids)")
                .param("owner", owner)
                .param("until", SqlTimes.parameter(micros(leaseUntil)))
                .param("ids", part)
                .update();
          }
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
    JdbcClient.StatementSpec query =
        sql.sql(
            "select "
                + ThreadRow.COLUMNS
                + " from workflow_thread where "
                + condition
                + " order by priority desc, created_at limit ? for update skip locked");
    if (condition.contains("?")) {
      query = query.param(SqlTimes.parameter(micros(now)));
    }
    return query.param(limit).query(ThreadRow::read).list();
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
          // the rows locked first, in the order of their ids as batches of step writes lock them
          // (IN_DATABASE_ORDER): an update alone locks them in whatever order its plan reads them,
          // and deadlocked with the step writers; read through the primary key (FENCED_UPDATE
          // says why "is not distinct from"); the parts in that order too
          List<UUID> held = new ArrayList<>();
          for (List<UUID> part :
              inListParts(ids.stream().map(ThreadId::value).sorted(IN_DATABASE_ORDER).toList())) {
            held.addAll(
                sql.sql(
                        "select thread_id from workflow_thread"
                            + " where claim_owner is not distinct from :owner"
                            + " and thread_id in (:ids) order by thread_id for update")
                    .param("owner", owner)
                    .param("ids", part)
                    .query((rs, rowNum) -> rs.getObject(1, UUID.class))
                    .list());
          }
          for (List<UUID> part : inListParts(held)) {
            sql.sql("update workflow_thread set claim_until = :until where thread_id in (:ids)")
                .param("until", SqlTimes.parameter(micros(leaseUntil)))
                .param("ids", part)
                .update();
          }
          return held.stream().map(ThreadId::new).collect(Collectors.toSet());
        });
  }

  @Override
  public Map<ThreadId, ThreadStatus> heldStatuses(String owner, Collection<ThreadId> ids) {
    Map<ThreadId, ThreadStatus> held = new HashMap<>();
    if (ids.isEmpty()) {
      return held;
    }
    // through the primary key, as FENCED_UPDATE says
    for (List<UUID> part : inListParts(uuids(ids))) {
      sql.sql(
              "select thread_id, status from workflow_thread"
                  + " where claim_owner is not distinct from :owner and thread_id in (:ids)")
          .param("owner", owner)
          .param("ids", part)
          .query(
              rs -> {
                held.put(
                    new ThreadId(rs.getObject(1, UUID.class)),
                    ThreadStatus.fromWireName(rs.getString(2)));
              });
    }
    return held;
  }

  @Override
  public void release(ThreadId id, String owner, Instant notBefore) {
    sql.sql(
            "update workflow_thread set claim_owner = null, claim_until = ?"
                + " where thread_id = ? and claim_owner is not distinct from ?")
        .params(SqlTimes.parameter(micros(notBefore)), id.value(), owner)
        .update();
  }

  @Override
  public boolean wake(ThreadId id) {
    return sql.sql(
                "update workflow_thread set claim_until = null"
                    + " where thread_id = ? and claim_owner is null and claim_until is not null")
            .param(id.value())
            .update()
        > 0;
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

  /**
   * At most this many ids in one {@code in (...)} of parameters: H2 tests each row it reads against
   * the whole list, so a list of n ids costs n times n comparisons. 10,000 ids (W2's threads in
   * flight, asked about by every claim check and renewal) took 340 ms a query in one list and 30 ms
   * in lists of 250.
   */
  private static final int IN_LIST_PART = 250;

  /** The ids in parts of at most {@link #IN_LIST_PART}, in their order. */
  private static <T> List<List<T>> inListParts(List<T> ids) {
    List<List<T>> parts = new ArrayList<>();
    for (int from = 0; from < ids.size(); from += IN_LIST_PART) {
      parts.add(ids.subList(from, Math.min(ids.size(), from + IN_LIST_PART)));
    }
    return parts;
  }

  private static SqlParameterValue text(String value) {
    return new SqlParameterValue(Types.VARCHAR, value);
  }
}
