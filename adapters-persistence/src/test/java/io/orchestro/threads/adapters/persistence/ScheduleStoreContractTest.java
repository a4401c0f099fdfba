package io.orchestro.threads.adapters.persistence;

import static io.orchestro.threads.domain.TestWorkflows.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.application.port.out.ScheduleStore;
import io.orchestro.threads.domain.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ScheduleStore} does; each implementation's test hands over an empty one. Nodes
 * are owner names here: the claim is what keeps two nodes from firing one schedule at once.
 */
public abstract class ScheduleStoreContractTest {

  private static final Instant DUE = T0.plusSeconds(60);
  private static final Duration LEASE = Duration.ofSeconds(15);

  protected ScheduleStore store;

  protected abstract ScheduleStore emptyStore();

  @BeforeEach
  void startEmpty() {
    store = emptyStore();
  }

  @Test
  void givesBackASchedulePutFieldForFieldAndReplacesItByName() {
    Schedule nightly = schedule("nightly", DUE, true).withRuns(DUE, T0);
    Schedule hourly = schedule("hourly", null, false);

    assertThat(store.put(nightly)).isTrue();
    assertThat(store.put(hourly)).isTrue();
    assertThat(store.find("nightly")).contains(nightly);
    assertThat(store.list()).containsExactly(hourly, nightly);

    Schedule changed = schedule("nightly", DUE.plusSeconds(5), false);
    assertThat(store.put(changed)).isFalse();
    assertThat(store.find("nightly")).contains(changed);
    assertThat(store.find("weekly")).isEmpty();
  }

  @Test
  void deletesByName() {
    store.put(schedule("nightly", DUE, true));

    assertThat(store.delete("nightly")).isTrue();
    assertThat(store.delete("nightly")).isFalse();
    assertThat(store.list()).isEmpty();
  }

  @Test
  void aDueScheduleIsClaimedByOneNodeUntilItsLeasePasses() {
    store.put(schedule("nightly", DUE, true));
    store.put(schedule("later", DUE.plusSeconds(1), true));
    store.put(schedule("off", DUE.minusSeconds(1), false));

    assertThat(names(store.claimDue("node-a", DUE, DUE.plus(LEASE), 10)))
        .containsExactly("nightly");
    assertThat(store.claimDue("node-b", DUE, DUE.plus(LEASE), 10)).isEmpty();

    // node A died without recording the run: once its lease passed, node B takes it
    Instant afterLease = DUE.plus(LEASE).plusMillis(1);
    assertThat(names(store.claimDue("node-b", afterLease, afterLease.plus(LEASE), 1)))
        .containsExactly("nightly");
  }

  @Test
  void recordingARunMovesTheScheduleOnAndEndsTheClaim() {
    store.put(schedule("nightly", DUE, true));
    store.claimDue("node-a", DUE, DUE.plus(LEASE), 10);

    Instant next = DUE.plus(Duration.ofDays(1));
    store.fired("nightly", "node-a", DUE, next);

    assertThat(store.find("nightly").orElseThrow().nextRunAt()).isEqualTo(next);
    assertThat(store.find("nightly").orElseThrow().lastRunAt()).isEqualTo(DUE);
    assertThat(store.claimDue("node-b", next.minusMillis(1), next.plus(LEASE), 10)).isEmpty();
    assertThat(names(store.claimDue("node-b", next, next.plus(LEASE), 10)))
        .containsExactly("nightly");
  }

  @Test
  void aRunRecordedByANodeThatLostTheClaimOrAfterAChangeKeepsTheNewerState() {
    store.put(schedule("nightly", DUE, true));
    store.claimDue("node-a", DUE, DUE.plus(LEASE), 10);
    // changed while node A fires: the change's next run stands
    Schedule changed = schedule("nightly", DUE.plusSeconds(30), true);
    store.put(changed);

    store.fired("nightly", "node-b", DUE, DUE.plus(Duration.ofDays(1)));
    assertThat(store.find("nightly").orElseThrow().nextRunAt()).isEqualTo(DUE.plusSeconds(30));

    store.fired("nightly", "node-a", DUE, DUE.plus(Duration.ofDays(1)));
    assertThat(store.find("nightly").orElseThrow().nextRunAt()).isEqualTo(DUE.plusSeconds(30));
    assertThat(store.find("nightly").orElseThrow().lastRunAt()).isEqualTo(DUE);
  }

  private static Schedule schedule(String name, Instant nextRunAt, boolean enabled) {
    return new Schedule(
        name,
        "0 0 3 * * *",
        ZoneId.of("Europe/Paris"),
        "general",
        "nightly report",
        Map.of("depth", 2),
        enabled,
        nextRunAt,
        null);
  }

  private static List<String> names(List<Schedule> schedules) {
    return schedules.stream().map(Schedule::name).toList();
  }
}
