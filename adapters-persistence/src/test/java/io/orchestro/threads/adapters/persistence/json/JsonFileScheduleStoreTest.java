package io.orchestro.threads.adapters.persistence.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.adapters.persistence.ScheduleStoreContractTest;
import io.orchestro.threads.application.port.out.ScheduleStore;
import io.orchestro.threads.domain.Schedule;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The schedule store contract on JSON files, and their survival of a restart. */
class JsonFileScheduleStoreTest extends ScheduleStoreContractTest {

  @RegisterExtension final FreshStores stores = new FreshStores();
  private JsonStoreDirectory opened;

  @Override
  protected ScheduleStore emptyStore() {
    opened = stores.openEmpty();
    return opened.schedules();
  }

  @Test
  void schedulesSurviveARestart() {
    Schedule schedule =
        new Schedule(
            "nightly",
            "0 0 3 * * *",
            ZoneId.of("Europe/Paris"),
            "general",
            null,
            Map.of("depth", 2),
            true,
            Instant.parse("2026-11-29T02:00:00Z"),
            Instant.parse("2026-11-28T02:00:00Z"));
    store.put(schedule);

    JsonStoreDirectory reopened = stores.reopen(opened);

    assertThat(reopened.schedules().list()).containsExactly(schedule);
  }
}
