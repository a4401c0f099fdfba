package io.orchestro.threads.adapters.persistence.sql;

import static io.orchestro.threads.domain.TestWorkflows.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.application.port.out.ClaimLostException;
import io.orchestro.threads.application.port.out.ConcurrentThreadUpdateException;
import io.orchestro.threads.application.port.out.DuplicateThreadException;
import io.orchestro.threads.domain.EventFilter;
import io.orchestro.threads.domain.LoggedEvent;
import io.orchestro.threads.domain.StepStatus;
import io.orchestro.threads.domain.TestWorkflows;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.WorkflowThread;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The group commit of the engine's step writes on H2 (and, through {@link PostgresGroupCommitTest},
 * on PostgreSQL): several threads' fenced writes in one transaction, each thread fenced by its own
 * claim and refused alone; and the single creates that wait together, inserted in one transaction.
 */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
class GroupCommitTest {

  private static final Instant NOW = T0.plusSeconds(60);
  private static final Instant LEASE_END = NOW.plusSeconds(15);
  private static final String NODE_A = "node-a";
  private static final String NODE_B = "node-b";

  @Autowired private DataSource dataSource;
  @Autowired private JdbcThreadEventLog eventLog;
  private JdbcWorkflowThreadStore store;

  @BeforeEach
  void emptyStore() {
    store = SqlTestConfiguration.emptyStore(dataSource, eventLog);
  }

  @Test
  void writesEveryThreadOfABatchWithItsStepsAndEvents() {
    List<WorkflowThread> claimed = claimedWithFirstStepStarted(3);

    List<WorkflowThread> written = results(store.writeAsOneBatch(claimed, NODE_A));

    for (WorkflowThread thread : written) {
      WorkflowThread stored = store.find(thread.id()).orElseThrow();
      assertThat(stored.snapshot()).isEqualTo(thread.snapshot());
      assertThat(stored.step("a").orElseThrow().status()).isEqualTo(StepStatus.RUNNING);
      assertThat(eventTypes(thread.id()))
          .containsExactly(
              ThreadEventType.THREAD_CREATED,
              ThreadEventType.THREAD_STARTED,
              ThreadEventType.STEP_STARTED);
    }
  }

  @Test
  void refusesAThreadFencedOutByAnotherOwnerAloneAndWritesTheOthers() {
    List<WorkflowThread> claimed = claimedWithFirstStepStarted(3);
    WorkflowThread takenOver = claimed.get(1);
    // node A stalled past its lease: node B took the thread over
    store.release(takenOver.id(), NODE_A, null);
    assertThat(store.claim(NODE_B, NOW, LEASE_END, 1)).hasSize(1);

    List<CompletableFuture<WorkflowThread>> outcomes = store.writeAsOneBatch(claimed, NODE_A);

    assertThat(failureOf(outcomes.get(1))).isInstanceOf(ClaimLostException.class);
    assertThat(store.find(takenOver.id()).orElseThrow().step("a").orElseThrow().status())
        .isEqualTo(StepStatus.PENDING);
    assertThat(eventTypes(takenOver.id())).containsExactly(ThreadEventType.THREAD_CREATED);
    for (int i : List.of(0, 2)) {
      assertThat(outcomes.get(i).join().version()).isEqualTo(claimed.get(i).version() + 1);
      assertThat(eventTypes(claimed.get(i).id())).contains(ThreadEventType.STEP_STARTED);
    }
  }

  @Test
  void aPauseAndADeleteMadeWhileTheBatchWaitedRefuseOnlyTheirOwnThreads() {
    List<WorkflowThread> claimed = claimedWithFirstStepStarted(3);
    WorkflowThread paused = store.find(claimed.get(0).id()).orElseThrow();
    paused.pause(NOW);
    store.update(paused);
    WorkflowThread deleted = store.find(claimed.get(1).id()).orElseThrow();
    deleted.delete(NOW);
    store.delete(deleted);

    List<CompletableFuture<WorkflowThread>> outcomes = store.writeAsOneBatch(claimed, NODE_A);

    // the owner still holds the paused thread: it reloads it and decides again
    assertThat(failureOf(outcomes.get(0))).isInstanceOf(ConcurrentThreadUpdateException.class);
    assertThat(store.find(paused.id()).orElseThrow().status()).isEqualTo(ThreadStatus.PAUSED);
    assertThat(failureOf(outcomes.get(1))).isInstanceOf(ClaimLostException.class);
    assertThat(store.find(deleted.id())).isEmpty();
    assertThat(outcomes.get(2).join().status()).isEqualTo(ThreadStatus.RUNNING);
  }

  @Test
  void aBatchThatOneThreadFailsIsWrittenThreadByThreadSoThatOnlyThatOneFails() {
    List<WorkflowThread> claimed = new ArrayList<>(claimedWithFirstStepStarted(2));
    // a step name longer than the events' step column takes: its event insert fails the batch
    String longName = "x".repeat(65);
    store.insert(WorkflowThread.restore(JdbcWorkflowThreadStoreTest.withOneStepNamed(longName)));
    WorkflowThread faulty =
        store.claim(NODE_A, NOW, LEASE_END, 1).stream().findFirst().orElseThrow();
    faulty.start(NOW);
    faulty.startStep(longName, NOW);
    claimed.add(faulty);

    List<CompletableFuture<WorkflowThread>> outcomes = store.writeAsOneBatch(claimed, NODE_A);

    assertThat(outcomes.get(0).join().status()).isEqualTo(ThreadStatus.RUNNING);
    assertThat(outcomes.get(1).join().status()).isEqualTo(ThreadStatus.RUNNING);
    assertThat(failureOf(outcomes.get(2))).isNotNull();
    assertThat(store.find(faulty.id()).orElseThrow().status()).isEqualTo(ThreadStatus.PENDING);
  }

  @Test
  void aBatchWhoseTransactionDiesLeavesEveryThreadAsItWas() {
    List<WorkflowThread> claimed = claimedWithFirstStepStarted(3);
    // the connection is lost as the batch commits (and as each write is tried alone after it)
    DataSource commitFails = new CommitFails(dataSource);
    JdbcWorkflowThreadStore crashing =
        new JdbcWorkflowThreadStore(commitFails, new JdbcThreadEventLog(commitFails));

    List<CompletableFuture<WorkflowThread>> outcomes = crashing.writeAsOneBatch(claimed, NODE_A);

    for (int i = 0; i < claimed.size(); i++) {
      assertThat(failureOf(outcomes.get(i))).isNotNull();
      WorkflowThread stored = store.find(claimed.get(i).id()).orElseThrow();
      assertThat(stored.version()).isEqualTo(claimed.get(i).version());
      assertThat(stored.step("a").orElseThrow().status()).isEqualTo(StepStatus.PENDING);
      assertThat(eventTypes(stored.id())).containsExactly(ThreadEventType.THREAD_CREATED);
    }
  }

  @Test
  void theEnginesStepWritesFromManyThreadsAtOnceAreAllWritten() {
    List<WorkflowThread> claimed = claimedWithFirstStepStarted(40);

    List<WorkflowThread> written =
        claimed.parallelStream().map(thread -> store.updateIfHeld(thread, NODE_A)).toList();

    assertThat(written)
        .allSatisfy(
            thread ->
                assertThat(store.find(thread.id()).orElseThrow().snapshot())
                    .isEqualTo(thread.snapshot()));
  }

  @Test
  void singleCreatesWaitingTogetherAreInsertedWithTheirStepsAndEvents() {
    List<WorkflowThread> fresh =
        IntStream.range(0, 3).mapToObj(i -> TestWorkflows.pendingThread()).toList();

    List<WorkflowThread> inserted = results(store.insertAsOneBatch(fresh));

    for (int i = 0; i < fresh.size(); i++) {
      assertThat(inserted.get(i).id()).isEqualTo(fresh.get(i).id());
      assertThat(store.find(fresh.get(i).id()).orElseThrow().snapshot())
          .isEqualTo(inserted.get(i).snapshot());
      assertThat(eventTypes(fresh.get(i).id())).containsExactly(ThreadEventType.THREAD_CREATED);
    }
  }

  @Test
  void aCreateWhoseIdIsTakenFailsAloneAndTheOthersOfItsBatchAreInserted() {
    WorkflowThread stored = store.insert(TestWorkflows.pendingThread());
    WorkflowThread first = TestWorkflows.pendingThread();
    WorkflowThread sameIdAsStored = pendingThread(stored.id());
    WorkflowThread last = TestWorkflows.pendingThread();
    // the same id twice in one batch: the second create of it loses, as it would alone
    WorkflowThread sameIdAsFirst = pendingThread(first.id());

    List<CompletableFuture<WorkflowThread>> outcomes =
        store.insertAsOneBatch(List.of(first, sameIdAsStored, last, sameIdAsFirst));

    assertThat(outcomes.get(0).join().id()).isEqualTo(first.id());
    assertThat(failureOf(outcomes.get(1))).isInstanceOf(DuplicateThreadException.class);
    assertThat(outcomes.get(2).join().id()).isEqualTo(last.id());
    assertThat(failureOf(outcomes.get(3))).isInstanceOf(DuplicateThreadException.class);
    assertThat(store.find(stored.id()).orElseThrow().snapshot()).isEqualTo(stored.snapshot());
    assertThat(store.find(first.id()).orElseThrow().snapshot())
        .isEqualTo(outcomes.get(0).join().snapshot());
    assertThat(eventTypes(first.id())).containsExactly(ThreadEventType.THREAD_CREATED);
  }

  @Test
  void singleCreatesFromManyThreadsAtOnceAreAllInserted() {
    List<WorkflowThread> fresh =
        IntStream.range(0, 40).mapToObj(i -> TestWorkflows.pendingThread()).toList();

    List<WorkflowThread> inserted = fresh.parallelStream().map(store::insert).toList();

    assertThat(inserted)
        .allSatisfy(
            thread ->
                assertThat(store.find(thread.id()).orElseThrow().snapshot())
                    .isEqualTo(thread.snapshot()));
  }

  private static WorkflowThread pendingThread(ThreadId id) {
    return WorkflowThread.create(
        id, TestWorkflows.request("another"), TestWorkflows.definition("test", "a"), T0);
  }

  /** Threads inserted and claimed by node A, each with its start and its first step's. */
  /**
   * A batch of step writes and a renewal lock threads' rows in the order of their ids, so that they
   * never wait for each other in a circle: the order the batch sorts by is the database's own, the
   * one the renewal's {@code order by thread_id} locks in. Ids on both sides of the sign bit, which
   * {@link UUID#compareTo} orders the other way round.
   */
  @Test
  void batchesSortThreadsInTheOrderTheDatabaseLocksThem() {
    List<UUID> ids =
        List.of(
            UUID.fromString("80000000-0000-4000-8000-000000000000"),
            UUID.fromString("00000000-0000-4000-8000-000000000001"),
            UUID.fromString("ffffffff-ffff-4fff-bfff-ffffffffffff"),
            UUID.fromString("7fffffff-ffff-4fff-bfff-ffffffffffff"),
            UUID.fromString("12345678-0000-4000-8000-000000000000"),
            UUID.fromString("12345678-0000-4000-0000-000000000000"));
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    String values = String.join(", ", Collections.nCopies(ids.size(), "(?)"));
    List<UUID> inDatabaseOrder =
        jdbc.queryForList(
            "select id from (values " + values + ") as v(id) order by id",
            UUID.class,
            ids.toArray());

    assertThat(ids.stream().sorted(JdbcWorkflowThreadStore.IN_DATABASE_ORDER).toList())
        .isEqualTo(inDatabaseOrder);
  }

  private List<WorkflowThread> claimedWithFirstStepStarted(int count) {
    IntStream.range(0, count).forEach(i -> store.insert(TestWorkflows.pendingThread()));
    List<WorkflowThread> claimed = new ArrayList<>(store.claim(NODE_A, NOW, LEASE_END, count));
    assertThat(claimed).hasSize(count);
    claimed.sort(Comparator.comparing(thread -> thread.id().value()));
    for (WorkflowThread thread : claimed) {
      thread.start(NOW);
      thread.startStep("a", NOW);
    }
    return claimed;
  }

  private List<ThreadEventType> eventTypes(ThreadId id) {
    eventLog.numberCommitted();
    return eventLog.read(0, EventFilter.ofThread(id), 100).stream()
        .map(LoggedEvent::event)
        .map(event -> event.type())
        .toList();
  }

  private static List<WorkflowThread> results(List<CompletableFuture<WorkflowThread>> outcomes) {
    return outcomes.stream().map(CompletableFuture::join).toList();
  }

  private static Throwable failureOf(CompletableFuture<WorkflowThread> outcome) {
    try {
      outcome.join();
      return null;
    } catch (CompletionException failed) {
      return failed.getCause();
    }
  }

  /**
   * A DataSource whose connections are lost as they commit: the commit fails, and so does
   * everything after it, as it does when the database or the network goes away at that moment. What
   * the transaction wrote is rolled back, as the database does with a transaction whose client is
   * gone.
   */
  private static final class CommitFails extends DelegatingDataSource {

    CommitFails(DataSource target) {
      super(target);
    }

    @Override
    public Connection getConnection() throws SQLException {
      Connection real = super.getConnection();
      AtomicBoolean lost = new AtomicBoolean();
      return (Connection)
          Proxy.newProxyInstance(
              Connection.class.getClassLoader(),
              new Class<?>[] {Connection.class},
              (proxy, method, arguments) -> {
                if (lost.get() || method.getName().equals("commit")) {
                  if (method.getName().equals("close")) {
                    real.rollback();
                    real.close();
                    return null;
                  }
                  lost.set(true);
                  throw new SQLException("connection lost", "08006");
                }
                try {
                  return method.invoke(real, arguments);
                } catch (InvocationTargetException thrown) {
                  throw thrown.getCause();
                }
              });
    }
  }
}
