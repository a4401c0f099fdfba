package io.orchestro.threads.application.engine;

import static io.orchestro.threads.application.engine.EngineTestBed.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.application.port.out.ThreadClaims;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine and the loops say when they have died, for liveness: an {@link Error} in a round is
 * not survived, unlike an exception.
 */
@Timeout(60)
class EngineLivenessTest {

  private final EngineTestBed bed = new EngineTestBed();
  private WakeableLoop loop;

  @AfterEach
  void stop() {
    if (loop != null) {
      loop.close();
    }
    bed.close();
  }

  @Test
  void anEngineWhoseDispatcherDiedIsNotAliveAndOneThatRunsIs() {
    ThreadEngine healthy = bed.startEngine();
    ThreadEngine dying =
        bed.startEngine(
            claimsFailingWith(new StackOverflowError("simulated")),
            EngineTestBed.settings("node-b"));

    // The dying dispatcher's Error is uncaught on its thread, by design: Awaitility must not
    // rethrow it here.
    eventually().dontCatchUncaughtExceptions().until(() -> !dying.isAlive());
    assertThat(healthy.isAlive()).isTrue();
  }

  @Test
  void aLoopWhoseRoundThrewAnErrorIsNotAliveAndOneNotStartedOrClosedIs() {
    loop =
        new WakeableLoop(
            "test-loop",
            Duration.ofHours(1),
            woken -> {
              throw new StackOverflowError("simulated");
            });
    assertThat(loop.isAlive()).as("not started").isTrue();

    loop.start();

    eventually().dontCatchUncaughtExceptions().until(() -> !loop.isAlive());
    loop.close();
    assertThat(loop.isAlive()).as("closed").isTrue();
  }

  /** The test bed's store, except that claiming throws {@code error}. */
  private ThreadClaims claimsFailingWith(Error error) {
    return (ThreadClaims)
        Proxy.newProxyInstance(
            ThreadClaims.class.getClassLoader(),
            new Class<?>[] {ThreadClaims.class},
            (proxy, method, args) -> {
              if (method.getName().equals("claim")) {
                throw error;
              }
              try {
                return method.invoke(bed.store, args);
              } catch (InvocationTargetException failed) {
                throw failed.getCause();
              }
            });
  }
}
