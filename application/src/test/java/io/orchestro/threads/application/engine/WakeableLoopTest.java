package io.orchestro.threads.application.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WakeableLoopTest {

  /** Long enough that no round in these tests can come from the poll unless the test wants it. */
  private static final Duration NEVER = Duration.ofHours(1);

  private final List<Boolean> rounds = new CopyOnWriteArrayList<>();
  private WakeableLoop loop;

  @AfterEach
  void stop() {
    if (loop != null) {
      loop.close();
    }
  }

  @Test
  void theFirstRoundRunsAtStartUnwokenAndEachWakeUpRunsAnother() {
    loop = new WakeableLoop("test-loop", NEVER, rounds::add);
    loop.start();
    await().until(() -> rounds.size() == 1);

    loop.wake();

    await().until(() -> rounds.size() == 2);
    assertThat(rounds).containsExactly(false, true);
  }

  @Test
  void withoutWakeUpsTheRoundsComeFromThePoll() {
    loop = new WakeableLoop("test-loop", Duration.ofMillis(20), rounds::add);
    loop.start();

    await().until(() -> rounds.size() >= 3);

    assertThat(List.copyOf(rounds).subList(0, 3)).containsOnly(false);
  }

  @Test
  void aRoundThatThrowsDoesNotEndTheLoop() {
    AtomicInteger calls = new AtomicInteger();
    loop =
        new WakeableLoop(
            "test-loop",
            NEVER,
            woken -> {
              if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("the database is away");
              }
              rounds.add(woken);
            });
    loop.start();
    await().until(() -> calls.get() == 1);

    loop.wake();

    await().until(() -> rounds.size() == 1);
  }

  @Test
  void afterCloseNoRoundRuns() {
    loop = new WakeableLoop("test-loop", Duration.ofMillis(10), rounds::add);
    loop.start();
    await().until(() -> rounds.size() >= 2);

    loop.close();
    int roundsAtClose = rounds.size();
    loop.wake();

    // a loop still running would add a round every 10 ms
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> rounds.size() == roundsAtClose);
  }
}
