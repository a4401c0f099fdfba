package io.orchestro.threads.adapters.persistence.sql;

import static io.orchestro.threads.domain.TestWorkflows.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestro.threads.adapters.persistence.JsonText;
import io.orchestro.threads.adapters.persistence.WorkflowThreadStoreContractTest;
import io.orchestro.threads.application.port.out.ConcurrentThreadUpdateException;
import io.orchestro.threads.application.port.out.DuplicateThreadException;
import io.orchestro.threads.application.port.out.WorkflowThreadStore;
import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.EventFilter;
import io.orchestro.threads.domain.ListThreadsQuery;
import io.orchestro.threads.domain.LoggedEvent;
import io.orchestro.threads.domain.StepStatus;
import io.orchestro.threads.domain.TestWorkflows;
import io.orchestro.threads.domain.ThreadEvent;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadRequest;
import io.orchestro.threads.domain.ThreadSnapshot;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.ThreadStep;
import io.orchestro.threads.domain.WorkflowThread;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The thread store contract on H2 with the Flyway schema, plus what only this store has: the event
 * rows written with each thread write. The test runs outside a transaction so that the store's own
 * transactions commit (and roll back) as they do in the service.
 */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
class JdbcWorkflowThreadStoreTest extends WorkflowThreadStoreContractTest {

  @Autowired private DataSource dataSource;
  @Autowired private JdbcThreadEventLog eventLog;

  @Override
  protected WorkflowThreadStore emptyStore() {
    return SqlTestConfiguration.emptyStore(dataSource, eventLog);
  }

  /** Threads stored before V9 have no search text until Flyway's V9.1 gives them theirs. */
  @Test
  void theSearchTextMigrationFillsTheThreadsStoredWithout() throws Exception {
    WorkflowThread thread =
        store.insert(
            WorkflowThread.create(
                ThreadId.generate(),
                new ThreadRequest("Compare the Tide Tables", null, "Old thread", null),
                TestWorkflows.definition("test", "a"),
                T0));
    new JdbcTemplate(dataSource).update("update workflow_thread set search_text = null");
    assertThat(store.list(textQuery("tide tables")).items()).isEmpty();

    int filled;
    try (var connection = dataSource.getConnection()) {
      filled = ThreadSearchTextMigration.fill(connection);
    }

    assertThat(filled).isEqualTo(1);
    assertThat(store.list(textQuery("tide tables")).items())
        .extracting(WorkflowThread::id)
        .containsExactly(thread.id());
    assertThat(store.list(textQuery("old thread")).items()).hasSize(1);
  }

  private static ListThreadsQuery textQuery(String text) {
    return new ListThreadsQuery(
        null, null, text, null, null, ListThreadsQuery.SortBy.CREATED_AT, false, 0, 10);
  }

  @Test
  void anInsertWhoseEventCannotBeStoredLeavesNothingBehind() {
    // thread_event's step columns hold 64 characters, as many as a step name may have; a thread
    // restored with a longer one makes the event insert fail after the thread's row was written
    String longName = "x".repeat(65);
    WorkflowThread thread = WorkflowThread.restore(withOneStepNamed(longName));
    thread.start(T0.plusSeconds(1));
    thread.startStep(longName, T0.plusSeconds(1));

    assertThatThrownBy(() -> store.insert(thread)).isNotInstanceOf(DuplicateThreadException.class);

    assertThat(store.find(thread.id())).isEmpty();
    assertThat(eventsOf(thread.id())).isEmpty();
  }

  @Test
  void anUpdateWhoseEventCannotBeStoredLeavesTheThreadAsItWas() {
    String longName = "x".repeat(65);
    WorkflowThread inserted = store.insert(WorkflowThread.restore(withOneStepNamed(longName)));
    WorkflowThread loaded = store.find(inserted.id()).orElseThrow();
    loaded.start(T0.plusSeconds(1));
    loaded.startStep(longName, T0.plusSeconds(1));

    assertThatThrownBy(() -> store.update(loaded))
        .isNotInstanceOf(ConcurrentThreadUpdateException.class);

    assertThat(store.find(inserted.id()).orElseThrow().snapshot()).isEqualTo(inserted.snapshot());
    assertThat(eventsOf(inserted.id())).isEmpty();
  }

  @Test
  void storesTheRequestAsJsonAndEachStepInARowOfItsOwn() {
    WorkflowThread thread = store.insert(WorkflowThread.restore(everyFieldSet()));
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);

    ThreadRow row =
        jdbc.queryForObject(
            "select " + ThreadRow.COLUMNS + " from workflow_thread where thread_id = ?",
            ThreadRow::read,
            thread.id().value());
    List<StepRow> steps =
        jdbc.query(
            "select "
                + StepRow.COLUMNS
                + " from thread_step where thread_id = ? order by step_index",
            StepRow::read,
            thread.id().value());

    assertThat(row.status()).isEqualTo("failed");
    assertThat(JsonText.parseObject(row.request()))
        .containsOnlyKeys(STORED_REQUEST_FIELDS)
        .containsEntry("workflow_type", "research");
    assertThat(steps).extracting(StepRow::index).containsExactly(0, 1, 2);
    assertThat(steps).extracting(StepRow::name).containsExactly("plan", "draft", "publish");
    assertThat(steps.get(0).status()).isEqualTo("completed");
    assertThat(steps.get(0).startedAt()).isEqualTo("2026-11-28T10:00:00.133Z");
    assertThat(JsonText.parseObject(steps.get(0).output())).containsEntry("text", "summary");
    assertThat(steps.get(1).error()).isEqualTo("reviewer asked for changes");
  }

  @Test
  void aStepWriteRewritesOnlyTheRowsOfTheStepsItChanged() {
    WorkflowThread inserted = store.insert(TestWorkflows.pendingThread());
    WorkflowThread loaded = store.find(inserted.id()).orElseThrow();
    loaded.start(T0.plusSeconds(1));
    loaded.startStep("a", T0.plusSeconds(1));
    WorkflowThread running = store.update(loaded);
    // a mark on the row of step b, which the next write does not change: a write of the whole
    // list would wipe it
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    jdbc.update(
        "update thread_step set error = 'untouched' where thread_id = ? and step_index = 1",
        inserted.id().value());

    running.completeStep("a", Map.of("n", 1), T0.plusSeconds(2));
    store.update(running);

    WorkflowThread reloaded = store.find(inserted.id()).orElseThrow();
    assertThat(reloaded.step("a").orElseThrow().status()).isEqualTo(StepStatus.COMPLETED);
    assertThat(reloaded.step("a").orElseThrow().output()).isEqualTo(Map.of("n", 1));
    assertThat(reloaded.step("b").orElseThrow().error()).isEqualTo("untouched");
  }

  @Test
  void aDeletedThreadTakesItsStepRowsWithIt() {
    WorkflowThread inserted = store.insert(TestWorkflows.pendingThread());
    WorkflowThread deleting = store.find(inserted.id()).orElseThrow();
    deleting.delete(T0.plusSeconds(1));

    store.delete(deleting);

    assertThat(
            new JdbcTemplate(dataSource)
                .queryForObject(
                    "select count(*) from thread_step where thread_id = ?",
                    Long.class,
                    inserted.id().value()))
        .isZero();
  }

  @Override
  protected List<ThreadEvent> eventsOf(ThreadId id) {
    eventLog.numberCommitted();
    return eventLog.read(0, EventFilter.ofThread(id), 1000).stream()
        .map(LoggedEvent::event)
        .toList();
  }

  /** A pending thread of one step named {@code name} (too long a name makes its event fail). */
  static ThreadSnapshot withOneStepNamed(String name) {
    return new ThreadSnapshot(
        ThreadId.generate(),
        Caller.LOCAL_OWNER,
        "long step name",
        "test",
        1,
        new ThreadRequest("do it", null, null, null),
        ThreadStatus.PENDING,
        List.of(new ThreadStep(name, "delay", StepStatus.PENDING, 0, 0, null, null, null, null)),
        null,
        T0,
        null,
        T0,
        null,
        0);
  }
}
