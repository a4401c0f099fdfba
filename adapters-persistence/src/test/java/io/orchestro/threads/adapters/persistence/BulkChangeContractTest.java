package io.orchestro.threads.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.application.agent.Agents;
import io.orchestro.threads.application.port.in.BulkChangeCommand;
import io.orchestro.threads.application.port.in.BulkChangeUseCase.BulkResult;
import io.orchestro.threads.application.port.out.EngineSignal;
import io.orchestro.threads.application.port.out.ThreadEventLog;
import io.orchestro.threads.application.port.out.WorkflowThreadStore;
import io.orchestro.threads.application.service.BulkChangeService;
import io.orchestro.threads.application.service.ThreadService;
import io.orchestro.threads.application.service.WorkflowService;
import io.orchestro.threads.application.testing.InMemoryWorkflowCatalog;
import io.orchestro.threads.application.testing.StandInAgents;
import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.EventFilter;
import io.orchestro.threads.domain.LoggedEvent;
import io.orchestro.threads.domain.TestWorkflows;
import io.orchestro.threads.domain.ThreadAction;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.WorkflowThread;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A bulk change over more than 10,000 threads on every store (issue 17, "bulk over 10,000
 * threads"): {@link BulkChangeService} on the store's own threads and event log, read {@link
 * #PAGE_SIZE} threads a page, each thread written on its own.
 */
public abstract class BulkChangeContractTest {

  private static final int PAGE_SIZE = 500;
  private static final int MATCHING_PENDING = 10_000;
  private static final int MATCHING_PAUSED = 100;
  private static final int OTHER_TYPE = 200;

  protected WorkflowThreadStore threads;
  protected ThreadEventLog events;

  /** Sets the two fields to an empty store of one kind and its event log. */
  protected abstract void openEmpty();

  /** Makes the events of every committed write readable (see ThreadEventLogContractTest). */
  protected abstract void makeCommittedEventsReadable();

  @BeforeEach
  void startEmpty() {
    openEmpty();
  }

  @Test
  void pausesOverTenThousandThreadsByFilterPageByPageWithAnEventEach() {
    List<ThreadId> pending = insert("bulk", ThreadStatus.PENDING, MATCHING_PENDING);
    List<ThreadId> alreadyPaused = insert("bulk", ThreadStatus.PAUSED, MATCHING_PAUSED);
    List<ThreadId> otherType = insert("other", ThreadStatus.PENDING, OTHER_TYPE);
    makeCommittedEventsReadable();
    long before = events.lastSeq();
    AtomicInteger pageReads = new AtomicInteger();
    AtomicInteger largestPage = new AtomicInteger();
    AtomicInteger threadWrites = new AtomicInteger();
    WorkflowThreadStore counted = counting(pageReads, largestPage, threadWrites);

    BulkResult result =
        bulkOn(counted)
            .change(
                Caller.LOCAL_ADMIN,
                new BulkChangeCommand(ThreadAction.PAUSE, Set.of(), "bulk", null, List.of()));
    makeCommittedEventsReadable();

    int matching = MATCHING_PENDING + MATCHING_PAUSED;
    assertThat(result).isEqualTo(new BulkResult(matching, MATCHING_PENDING, MATCHING_PAUSED));
    // in pages: never more than a page read at once, and each change its own write of one thread
    assertThat(largestPage).hasValue(PAGE_SIZE);
    assertThat(pageReads.get()).isGreaterThanOrEqualTo(matching / PAGE_SIZE);
    assertThat(threadWrites).hasValue(MATCHING_PENDING);
    assertThat(pending)
        .allSatisfy(
            id ->
                assertThat(threads.find(id).orElseThrow().status()).isEqualTo(ThreadStatus.PAUSED));
    assertThat(otherType)
        .allSatisfy(
            id ->
                assertThat(threads.find(id).orElseThrow().status())
                    .isEqualTo(ThreadStatus.PENDING));
    List<LoggedEvent> written = eventsAfter(before);
    assertThat(written)
        .allSatisfy(
            logged -> assertThat(logged.event().type()).isEqualTo(ThreadEventType.THREAD_PAUSED));
    List<ThreadId> pausedIds = written.stream().map(logged -> logged.event().threadId()).toList();
    assertThat(pausedIds).hasSize(MATCHING_PENDING);
    assertThat(new HashSet<>(pausedIds)).isEqualTo(new HashSet<>(pending));
    assertThat(pausedIds).doesNotContainAnyElementsOf(alreadyPaused);
  }

  private BulkChangeService bulkOn(WorkflowThreadStore store) {
    Clock clock = Clock.systemUTC();
    WorkflowService workflows =
        new WorkflowService(new InMemoryWorkflowCatalog(), new Agents(StandInAgents.all()), clock);
    ThreadService service = new ThreadService(store, workflows, clock, EngineSignal.NONE);
    return new BulkChangeService(store, service, clock, PAGE_SIZE);
  }

  /** The store, counting its page reads, the largest page asked for, and its thread updates. */
  private WorkflowThreadStore counting(
      AtomicInteger pageReads, AtomicInteger largestPage, AtomicInteger threadWrites) {
    return (WorkflowThreadStore)
        Proxy.newProxyInstance(
            WorkflowThreadStore.class.getClassLoader(),
            new Class<?>[] {WorkflowThreadStore.class},
            (proxy, method, args) -> {
              switch (method.getName()) {
                case "positionsAfter" -> {
                  pageReads.incrementAndGet();
                  largestPage.accumulateAndGet((Integer) args[2], Math::max);
                }
                case "update" -> threadWrites.incrementAndGet();
                default -> {}
              }
              try {
                return method.invoke(threads, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  /** Inserts {@code count} threads in batches, created a millisecond apart. */
  private List<ThreadId> insert(String type, ThreadStatus status, int count) {
    List<ThreadId> ids = new ArrayList<>();
    List<WorkflowThread> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      WorkflowThread thread = TestWorkflows.threadIn(status, TestWorkflows.definition(type, "a"));
      batch.add(thread);
      ids.add(thread.id());
      if (batch.size() == 1_000 || i == count - 1) {
        threads.insertAll(batch);
        batch.clear();
      }
    }
    return ids;
  }

  private List<LoggedEvent> eventsAfter(long seq) {
    List<LoggedEvent> all = new ArrayList<>();
    long after = seq;
    while (true) {
      List<LoggedEvent> page = events.read(after, EventFilter.ALL, 1_000);
      if (page.isEmpty()) {
        return all;
      }
      all.addAll(page);
      after = page.get(page.size() - 1).seq();
    }
  }
}
