package io.orchestro.threads.adapters.persistence.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.adapters.persistence.RetentionContractTest;
import io.orchestro.threads.domain.EventFilter;
import io.orchestro.threads.domain.TestWorkflows;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Retention on the JSON store, whose log starts a new segment file with each write here, plus what
 * only it has: the pruning mark is read back from the files after a restart.
 */
class JsonFileRetentionTest extends RetentionContractTest {

  @RegisterExtension final FreshStores stores = new FreshStores();
  private JsonStoreDirectory opened;

  @Override
  protected void openEmpty() {
    opened = stores.openEmptyWithEventSegments(1);
    threads = opened.threads();
    events = opened.events();
    webhooks = opened.webhooks();
  }

  @Override
  protected void makeCommittedEventsReadable() {
    // readable once the write returns
  }

  @Test
  void thePruningMarkSurvivesARestart() {
    for (int i = 0; i < 3; i++) {
      threads.insert(TestWorkflows.pendingThread());
    }
    // the segment appended to stays: two of the three go
    assertThat(events.pruneBefore(Instant.MAX, 100)).isEqualTo(1);
    assertThat(events.pruneBefore(Instant.MAX, 100)).isEqualTo(1);
    assertThat(events.pruneBefore(Instant.MAX, 100)).isZero();

    JsonStoreDirectory reopened = stores.reopen(opened);

    assertThat(reopened.events().prunedUpTo()).isEqualTo(2);
    assertThat(reopened.events().read(0, EventFilter.ALL, 10)).hasSize(1);
  }
}
