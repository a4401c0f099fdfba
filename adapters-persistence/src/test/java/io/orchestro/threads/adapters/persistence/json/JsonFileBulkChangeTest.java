package io.orchestro.threads.adapters.persistence.json;

import io.orchestro.threads.adapters.persistence.BulkChangeContractTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The bulk change over 10,000 threads on the JSON store. */
class JsonFileBulkChangeTest extends BulkChangeContractTest {

  @RegisterExtension final FreshStores stores = new FreshStores();

  @Override
  protected void openEmpty() {
    JsonStoreDirectory opened = stores.openEmpty();
    threads = opened.threads();
    events = opened.events();
  }

  @Override
  protected void makeCommittedEventsReadable() {
    // readable once the write returns
  }
}
