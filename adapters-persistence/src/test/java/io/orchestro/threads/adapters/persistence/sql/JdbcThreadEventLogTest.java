package io.orchestro.threads.adapters.persistence.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.orchestro.threads.adapters.persistence.ThreadEventLogContractTest;
import io.orchestro.threads.application.engine.WakeableLoop;
import io.orchestro.threads.domain.EventFilter;
import io.orchestro.threads.domain.LoggedEvent;
import io.orchestro.threads.domain.TestWorkflows;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.WorkflowThread;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The event log contract on H2 with the Flyway schema (and, through {@link
 * PostgresThreadEventLogTest}, on PostgreSQL), plus the case numbering after commit exists for: two
 * transactions that commit in the opposite order to their inserts. Each test has a log of its own,
 * numbered by a loop wired as the application wires it, with a short safety-net interval.
 */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
class JdbcThreadEventLogTest extends ThreadEventLogContractTest {

  @Autowired private DataSource dataSource;
  private JdbcThreadEventLog eventLog;
  private WakeableLoop numbering;

  @Override
  protected void openEmpty() {
    eventLog = new JdbcThreadEventLog(dataSource);
    numbering =
        new WakeableLoop(
            "test-event-numbering", Duration.ofMillis(200), eventLog::numberCommittedEvents);
    eventLog.onCommitted(numbering::wake);
    numbering.start();
    store = SqlTestConfiguration.emptyStore(dataSource, eventLog);
    log = eventLog;
  }

  @AfterEach
  void stopNumbering() {
    numbering.close();
  }

  @Override
  protected void makeCommittedEventsReadable() {
    eventLog.numberCommitted();
  }

  /** However long a step streams, the table keeps one progress event of it: the newest. */
  @Test
  void keepsOnlyTheNewestProgressEventOfAStep() {
    long before = eventLog.lastSeq();
    WorkflowThread thread = store.insert(TestWorkflows.pendingThread());
    thread.start(TestWorkflows.T0);
    thread.startStep("a", TestWorkflows.T0);
    thread = store.update(thread);
    for (int i = 1; i <= 20; i++) {
      log.appendProgress(progress(thread, TestWorkflows.T0.plusSeconds(i), "text " + i));
    }
    makeCommittedEventsReadable();

    assertThat(
            log.read(
                before, new EventFilter(thread.id(), Set.of(ThreadEventType.STEP_PROGRESS)), 100))
        .extracting(logged -> logged.event().detail())
        .containsExactly("text 20");
  }

  /**
   * Transaction A inserts its event first but commits last. With numbers taken at insert, B's event
   * would be readable first with a higher number, and a reader that had seen it would skip A's for
   * ever. Numbered after commit, A's event comes after B's.
   */
  @Test
  void anEventCommittedLaterIsNumberedAfterEveryEventAlreadyReadable() throws Exception {
    numbering.close();
    // numbered after commit, as on PostgreSQL, whichever database this test runs on
    JdbcThreadEventLog eventLog = new JdbcThreadEventLog(dataSource, false);
    JdbcWorkflowThreadStore store = new JdbcWorkflowThreadStore(dataSource, eventLog);
    long before = eventLog.lastSeq();
    WorkflowThread late = TestWorkflows.pendingThread();
    CountDownLatch mayCommit = new CountDownLatch(1);
    CompletableFuture<Void> lateTransaction = appendedUncommitted(eventLog, late, mayCommit);

    WorkflowThread early = store.insert(TestWorkflows.pendingThread());
    eventLog.numberCommitted();
    List<LoggedEvent> seenFirst = eventLog.read(before, EventFilter.ALL, 10);

    mayCommit.countDown();
    lateTransaction.get(10, TimeUnit.SECONDS);
    eventLog.numberCommitted();
    long lastSeen = seenFirst.get(seenFirst.size() - 1).seq();
    List<LoggedEvent> seenAfter = eventLog.read(lastSeen, EventFilter.ALL, 10);

    assertThat(seenFirst)
        .extracting(logged -> logged.event().threadId())
        .containsExactly(early.id());
    assertThat(seenAfter)
        .extracting(logged -> logged.event().threadId())
        .containsExactly(late.id());
    assertThat(seenAfter.get(0).seq()).isEqualTo(lastSeen + 1);
    assertThat(seenAfter.get(0).event().type()).isEqualTo(ThreadEventType.THREAD_CREATED);
  }

  /**
   * More events than one numbering transaction takes are all numbered, with consecutive numbers in
   * the order they were inserted.
   */
  @Test
  void numbersMoreEventsThanOneBatchInTheOrderTheyWereInserted() {
    numbering.close();
    // numbered after commit, as on PostgreSQL, whichever database this test runs on
    JdbcThreadEventLog eventLog = new JdbcThreadEventLog(dataSource, false);
    JdbcWorkflowThreadStore store = new JdbcWorkflowThreadStore(dataSource, eventLog);
    long before = eventLog.lastSeq();
    List<WorkflowThread> threads =
        Stream.generate(TestWorkflows::pendingThread)
            .limit(JdbcThreadEventLog.NUMBERING_BATCH + 5)
            .toList();
    store.insertAll(threads);

    assertThat(eventLog.numberCommitted()).isEqualTo(threads.size());
    List<LoggedEvent> read = eventLog.read(before, EventFilter.ALL, threads.size() + 1);
    assertThat(read)
        .extracting(logged -> logged.event().threadId())
        .containsExactlyElementsOf(threads.stream().map(WorkflowThread::id).toList());
    assertThat(read)
        .extracting(LoggedEvent::seq)
        .containsExactlyElementsOf(
            LongStream.rangeClosed(before + 1, before + threads.size()).boxed().toList());
    assertThat(eventLog.lastSeq()).isEqualTo(before + threads.size());
  }

  /**
   * On H2 a write numbers its events itself and holds the numbering lock until it commits: a write
   * that ends while another holds it waits, and takes the numbers after the other's. A reader sees
   * no number before every lower one is committed. (PostgreSQL numbers after commit: its subclass
   * leaves this test out.)
   */
  @Test
  void onH2AWriteNumbersItsEventsAndTheNextWriteTakesTheNumbersAfterItsCommit() throws Exception {
    numbering.close();
    long before = eventLog.lastSeq();
    WorkflowThread first = TestWorkflows.pendingThread();
    CountDownLatch mayCommit = new CountDownLatch(1);
    CompletableFuture<Void> firstTransaction = appendedUncommitted(eventLog, first, mayCommit);
    CompletableFuture<WorkflowThread> second =
        CompletableFuture.supplyAsync(() -> store.insert(TestWorkflows.pendingThread()));

    assertThat(eventLog.read(before, EventFilter.ALL, 10)).isEmpty();
    mayCommit.countDown();
    firstTransaction.get(10, TimeUnit.SECONDS);
    WorkflowThread secondThread = second.get(10, TimeUnit.SECONDS);

    assertThat(eventLog.read(before, EventFilter.ALL, 10))
        .extracting(logged -> logged.event().threadId(), LoggedEvent::seq)
        .containsExactly(tuple(first.id(), before + 1), tuple(secondThread.id(), before + 2));
    assertThat(eventLog.lastSeq()).isEqualTo(before + 2);
  }

  @Test
  void numbersEventsThatNobodySignalledWithinTheSafetyNetInterval() {
    long before = eventLog.lastSeq();
    WorkflowThread unsignalled = TestWorkflows.pendingThread();
    // as if the writer died between its commit and its signal (on H2, where writes number their
    // events themselves: as an earlier version left them)
    new JdbcThreadEventLog(dataSource, false).append(unsignalled.newEvents());

    await().atMost(Duration.ofSeconds(10)).until(() -> eventLog.lastSeq() == before + 1);
    assertThat(eventLog.read(before, EventFilter.ALL, 10))
        .extracting(logged -> logged.event().threadId())
        .containsExactly(unsignalled.id());
  }

  /**
   * Appends the thread's events in a transaction of another thread, which commits once {@code
   * mayCommit} is counted down; returns once they are appended.
   */
  private CompletableFuture<Void> appendedUncommitted(
      JdbcThreadEventLog eventLog, WorkflowThread thread, CountDownLatch mayCommit)
      throws InterruptedException {
    CountDownLatch inserted = new CountDownLatch(1);
    CompletableFuture<Void> transaction =
        CompletableFuture.runAsync(
            () ->
                new TransactionTemplate(new DataSourceTransactionManager(dataSource))
                    .executeWithoutResult(
                        status -> {
                          eventLog.append(thread.newEvents());
                          inserted.countDown();
                          awaitQuietly(mayCommit);
                        }));
    assertThat(inserted.await(10, TimeUnit.SECONDS)).isTrue();
    return transaction;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
