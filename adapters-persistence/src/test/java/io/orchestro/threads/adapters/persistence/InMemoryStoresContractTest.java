package io.orchestro.threads.adapters.persistence;

import io.orchestro.threads.application.engine.InProcessLimitLeases;
import io.orchestro.threads.application.port.out.LimitLeases;
import io.orchestro.threads.application.port.out.ScheduleStore;
import io.orchestro.threads.application.port.out.WebhookStore;
import io.orchestro.threads.application.port.out.WorkflowCatalog;
import io.orchestro.threads.application.port.out.WorkflowThreadStore;
import io.orchestro.threads.application.testing.InMemoryScheduleStore;
import io.orchestro.threads.application.testing.InMemoryThreadStore;
import io.orchestro.threads.application.testing.InMemoryWebhookStore;
import io.orchestro.threads.application.testing.InMemoryWorkflowCatalog;
import io.orchestro.threads.domain.ThreadEvent;
import io.orchestro.threads.domain.ThreadId;
import java.util.List;
import org.junit.jupiter.api.Nested;

/**
 * Every store contract, run against the stores in memory of the application's test-jar: the engine
 * and use-case tests run on those, so they must keep the promises the real stores keep.
 */
class InMemoryStoresContractTest {

  @Nested
  class Threads extends WorkflowThreadStoreContractTest {

    private InMemoryThreadStore opened;

    @Override
    protected WorkflowThreadStore emptyStore() {
      opened = new InMemoryThreadStore();
      return opened;
    }

    @Override
    protected List<ThreadEvent> eventsOf(ThreadId id) {
      return opened.eventsOf(id);
    }
  }

  @Nested
  class Claims extends ThreadClaimsContractTest<InMemoryThreadStore> {

    @Override
    protected InMemoryThreadStore emptyStore() {
      return new InMemoryThreadStore();
    }
  }

  @Nested
  class Events extends ThreadEventLogContractTest {

    @Override
    protected void openEmpty() {
      InMemoryThreadStore threads = new InMemoryThreadStore();
      store = threads;
      log = threads;
    }

    /** Nothing to do: a write's events are readable when it returns. */
    @Override
    protected void makeCommittedEventsReadable() {}
  }

  @Nested
  class Catalog extends WorkflowCatalogContractTest {

    @Override
    protected WorkflowCatalog emptyCatalog() {
      return new InMemoryWorkflowCatalog();
    }
  }

  @Nested
  class Schedules extends ScheduleStoreContractTest {

    @Override
    protected ScheduleStore emptyStore() {
      return new InMemoryScheduleStore();
    }
  }

  @Nested
  class Limits extends LimitLeasesContractTest {

    @Override
    protected LimitLeases emptyLeases() {
      return new InProcessLimitLeases();
    }
  }

  @Nested
  class Webhooks extends WebhookStoreContractTest {

    private final InMemoryWebhookStore kept = new InMemoryWebhookStore();

    @Override
    protected WebhookStore emptyStore() {
      return kept;
    }

    /** What it holds: each webhook's id and secret as it was handed over. */
    @Override
    protected String rawStoredText() {
      return kept.list().stream()
          .map(webhook -> webhook.id() + " " + webhook.secret())
          .collect(java.util.stream.Collectors.joining("\n"));
    }
  }
}
