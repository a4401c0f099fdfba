package io.orchestro.threads.adapters.persistence;

import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;

/**
 * What becomes of tests that need something from the machine (a PostgreSQL server, a browser) when
 * it is missing: they are skipped, saying how to provide it; under {@code CI=true} they fail
 * instead, so that a build server never passes by skipping them.
 */
public final class Prerequisite {

  private Prerequisite() {}

  /**
   * The answer of an {@code ExecutionCondition}: enabled when {@code present}, otherwise disabled
   * with {@code howToProvide} as the reason.
   *
   * @throws IllegalStateException when it is missing under {@code CI=true}
   */
  public static ConditionEvaluationResult check(
      boolean present, String whatIsThere, Supplier<String> howToProvide) {
    if (present) {
      return ConditionEvaluationResult.enabled(whatIsThere);
    }
    failUnderCi(howToProvide);
    // the build log shows a skip's count but not its reason
    System.err.println("Skipping: " + howToProvide.get());
    return ConditionEvaluationResult.disabled(howToProvide.get());
  }

  /**
   * For a test already running (a case of a parameterized test, say): returns when {@code present},
   * otherwise aborts the test, which is then reported as skipped.
   *
   * @throws IllegalStateException when it is missing under {@code CI=true}
   */
  public static void require(boolean present, Supplier<String> howToProvide) {
    if (!present) {
      failUnderCi(howToProvide);
      Assumptions.abort(howToProvide.get());
    }
  }

  private static void failUnderCi(Supplier<String> howToProvide) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new IllegalStateException(howToProvide.get() + " Under CI=true this fails.");
    }
  }
}
