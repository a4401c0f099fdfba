package io.orchestro.threads.bootstrap;

import static org.awaitility.Awaitility.await;

import io.orchestro.threads.application.testing.InFlightAgent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** What the tests of limits measure: attempts in flight, and starts within a rate's period. */
final class LimitMeasures {

  /**
   * A start time is read after the place was taken, a few milliseconds later on a busy machine; a
   * window this much shorter than the period keeps that from counting as a start too many.
   */
  static final Duration START_SKEW = Duration.ofMillis(200);

  private LimitMeasures() {}

  /**
   * Lets the in-flight agent's attempts finish one at a time; after each, waits until as many are
   * in flight again as the maximum allows of those left: held-back threads move up as places free.
   */
  static void finishOneAtATime(InFlightAgent agent, int attempts, int maximum) {
    await().until(() -> agent.inFlight() == Math.min(maximum, attempts));
    for (int finished = 1; finished <= attempts; finished++) {
      agent.release(1);
      int left = attempts - finished;
      await().until(() -> agent.inFlight() == Math.min(maximum, left));
    }
  }

  /** When each thread's first step began, as the API shows it. */
  static List<Instant> firstStepStarts(ApiClient api, List<String> ids) {
    return ids.stream()
        .map(id -> Instant.parse(api.thread(id).get("steps").get(0).get("started_at").asString()))
        .toList();
  }

  /** The most starts within any window of {@code period} (less {@link #START_SKEW}). */
  static int mostStartsWithin(List<Instant> starts, Duration period) {
    List<Instant> sorted = starts.stream().sorted().toList();
    Duration window = period.minus(START_SKEW);
    int most = 0;
    for (int first = 0; first < sorted.size(); first++) {
      Instant end = sorted.get(first).plus(window);
      int within = 0;
      for (int i = first; i < sorted.size() && sorted.get(i).isBefore(end); i++) {
        within++;
      }
      most = Math.max(most, within);
    }
    return most;
  }
}
