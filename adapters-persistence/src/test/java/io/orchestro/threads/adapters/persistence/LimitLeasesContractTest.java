package io.orchestro.threads.adapters.persistence;

import static io.orchestro.threads.domain.TestWorkflows.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.application.port.out.Limit;
import io.orchestro.threads.application.port.out.LimitLeases;
import io.orchestro.threads.application.port.out.LimitLeases.Refusal;
import io.orchestro.threads.application.port.out.LimitLeases.Wait;
import io.orchestro.threads.domain.ThreadId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LimitLeases} does; each implementation's test hands over an empty one, and a
 * second view of the same places where the store is shared by nodes. Nodes are owner names here.
 */
public abstract class LimitLeasesContractTest {

  private static final Duration LEASE = Duration.ofSeconds(15);
  private static final Limit TWO_AT_ONCE = Limit.of("agent:llm", 2, null);
  private static final Limit THREE_A_MINUTE = Limit.of("workflow:report", null, "3/1m");

  protected LimitLeases leases;

  protected abstract LimitLeases emptyLeases();

  /** The same places as seen by another node: a store of its own on the same data. */
  protected LimitLeases otherNode() {
    return leases;
  }

  @BeforeEach
  void startEmpty() {
    leases = emptyLeases();
  }

  @Test
  void aConcurrencyLimitGivesOutItsMaximumAndAPlaceGivenBackAgain() {
    assertThat(take(TWO_AT_ONCE, "h1", "node-a", T0)).isEmpty();
    assertThat(take(TWO_AT_ONCE, "h2", "node-a", T0)).isEmpty();

    assertThat(take(TWO_AT_ONCE, "h3", "node-b", T0)).contains(new Refusal("agent:llm", null));

    otherNode().giveBack(List.of(TWO_AT_ONCE), "h1");
    assertThat(take(TWO_AT_ONCE, "h3", "node-b", T0)).isEmpty();
    assertThat(take(TWO_AT_ONCE, "h4", "node-b", T0)).isPresent();
  }

  @Test
  void aLeaseExpiresUnlessItsNodeRenewsIt() {
    take(TWO_AT_ONCE, "renewed", "node-a", T0);
    take(TWO_AT_ONCE, "of-a-dead-node", "node-b", T0);

    leases.renew("node-a", Set.of("renewed"), T0.plusSeconds(10), T0.plusSeconds(25));
    // a renewal of another node's lease, or of an expired one, changes nothing
    leases.renew("node-a", Set.of("of-a-dead-node"), T0.plusSeconds(10), T0.plusSeconds(25));

    Instant later = T0.plus(LEASE);
    assertThat(take(TWO_AT_ONCE, "h3", "node-c", later)).isEmpty();
    assertThat(take(TWO_AT_ONCE, "h4", "node-c", later)).isPresent();
    leases.renew("node-b", Set.of("of-a-dead-node"), later, later.plus(LEASE));
    assertThat(take(TWO_AT_ONCE, "h4", "node-c", later)).isPresent();
  }

  @Test
  void aNodeStartingAloneFreesThePlacesOfItsPreviousRunAtOnce() {
    take(TWO_AT_ONCE, "previous-run-1", "run-1", T0);
    take(TWO_AT_ONCE, "previous-run-2", "run-1", T0);
    assertThat(take(TWO_AT_ONCE, "h1", "run-2", T0)).isPresent();

    leases.expireOtherOwners("run-2");

    assertThat(take(TWO_AT_ONCE, "h1", "run-2", T0)).isEmpty();
    leases.expireOtherOwners("run-2");
    assertThat(take(TWO_AT_ONCE, "h2", "run-2", T0)).isEmpty();
    assertThat(take(TWO_AT_ONCE, "h3", "run-2", T0)).isPresent();
  }

  @Test
  void aRateLetsItsPermitsStartWithinAnyPeriodAndSaysWhenTheNextMay() {
    assertThat(take(THREE_A_MINUTE, "h1", "node-a", T0)).isEmpty();
    assertThat(take(THREE_A_MINUTE, "h2", "node-b", T0.plusSeconds(10))).isEmpty();
    assertThat(take(THREE_A_MINUTE, "h3", "node-a", T0.plusSeconds(20))).isEmpty();

    assertThat(take(THREE_A_MINUTE, "h4", "node-b", T0.plusSeconds(30)))
        .contains(new Refusal("workflow:report", T0.plusSeconds(60)));
    // giving back frees no start: the mark counts for its period
    leases.giveBack(List.of(THREE_A_MINUTE), "h1");
    assertThat(take(THREE_A_MINUTE, "h4", "node-b", T0.plusSeconds(59))).isPresent();

    assertThat(take(THREE_A_MINUTE, "h4", "node-b", T0.plusSeconds(60))).isEmpty();
    assertThat(take(THREE_A_MINUTE, "h5", "node-a", T0.plusSeconds(61)))
        .contains(new Refusal("workflow:report", T0.plusSeconds(70)));
  }

  @Test
  void placesUnderSeveralLimitsAreTakenAllOrNone() {
    Limit oneAtOnce = Limit.of("agent:echo", 1, null);
    Limit fullType = Limit.of("workflow:full", 1, null);
    assertThat(take(fullType, "filler", "node-a", T0)).isEmpty();

    assertThat(leases.take(List.of(oneAtOnce, fullType), "both", "node-a", T0, T0.plus(LEASE)))
        .contains(new Refusal("workflow:full", null));

    // the first limit's place was not kept by the refused take
    assertThat(take(oneAtOnce, "alone", "node-a", T0)).isEmpty();
  }

  @Test
  void aHoldBackRefusesEveryPlaceUntilItsTimeOnEveryNode() {
    Limit unbounded = Limit.of("agent:llm", null, null);
    assertThat(take(unbounded, "h1", "node-a", T0)).isEmpty();

    leases.holdBack(unbounded, T0.plusSeconds(30));
    // a shorter hold-back asked for later does not cut the longer one short
    otherNode().holdBack(unbounded, T0.plusSeconds(5));

    assertThat(take(unbounded, "h2", "node-b", T0.plusSeconds(29)))
        .contains(new Refusal("agent:llm", T0.plusSeconds(30)));
    assertThat(take(unbounded, "h2", "node-b", T0.plusSeconds(30))).isEmpty();
  }

  @Test
  void takersRacingOnTwoNodesNeverGetMoreThanTheMaximum() throws Exception {
    Limit three = Limit.of("agent:raced", 3, "5/1m");
    LimitLeases nodeB = otherNode();
    AtomicInteger taken = new AtomicInteger();
    List<Callable<Void>> takers =
        IntStream.range(0, 12)
            .<Callable<Void>>mapToObj(
                i ->
                    () -> {
                      LimitLeases node = i % 2 == 0 ? leases : nodeB;
                      if (node.take(List.of(three), "h" + i, "node-" + i % 2, T0, T0.plus(LEASE))
                          .isEmpty()) {
                        taken.incrementAndGet();
                      }
                      return null;
                    })
            .toList();

    assertThat(Race.failuresOf(takers)).isEmpty();
    assertThat(taken).hasValue(3);
  }

  private Optional<Refusal> take(Limit limit, String holder, String owner, Instant now) {
    return leases.take(List.of(limit), holder, owner, now, now.plus(LEASE));
  }

  @Test
  void aWaitRunsFromTheFirstRefusalOnAnyNodeUntilItEnds() {
    ThreadId thread = ThreadId.generate();
    ThreadId other = ThreadId.generate();
    leases.refused(thread, "agent:llm", T0);
    otherNode().refused(thread, "workflow:report", T0.plusSeconds(5));
    otherNode().refused(other, "agent:llm", T0.plusSeconds(7));

    assertThat(otherNode().waitEnded(thread)).contains(new Wait("agent:llm", T0));
    assertThat(leases.waitEnded(thread)).isEmpty();

    // a wait after the thread got its places starts anew
    leases.refused(thread, "agent:llm", T0.plusSeconds(60));
    assertThat(otherNode().waitEnded(thread)).contains(new Wait("agent:llm", T0.plusSeconds(60)));
    assertThat(leases.waitEnded(other)).contains(new Wait("agent:llm", T0.plusSeconds(7)));
  }
}
