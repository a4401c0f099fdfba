package io.orchestro.threads.bootstrap;

import static io.orchestro.threads.application.testing.WorkflowCommands.step;
import static io.orchestro.threads.application.testing.WorkflowCommands.workflow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orchestro.threads.application.service.WorkflowService;
import io.orchestro.threads.application.testing.InFlightAgent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * Limits configured as a user does, over real HTTP, on each single-node store ({@link
 * H2LimitsTest}, {@link JsonLimitsTest}): never more attempts in flight than the maximum, no more
 * starts within a period than the rate, every held-back thread completed, and the wait measured.
 */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "orchestro.limits.agents.in-flight.max-concurrency=2",
      "orchestro.limits.workflows.rated.rate=3/2s"
    })
@Import(EngineTestSupport.Beans.class)
abstract class LimitsTest {

  private static final Duration RATE_PERIOD = Duration.ofSeconds(2);

  @LocalServerPort int port;
  @Autowired WorkflowService workflows;
  @Autowired InFlightAgent inFlight;

  private ApiClient api;

  @BeforeEach
  void workflows() {
    api = new ApiClient(port);
    workflows.put(workflow("probe", step("only", InFlightAgent.NAME, Map.of())));
    workflows.put(workflow("rated", step("only", "echo", Map.of())));
  }

  @Test
  void neverMoreAttemptsOfAnAgentInFlightThanItsMaximumAndEveryHeldBackThreadCompletes() {
    List<String> ids =
        IntStream.range(0, 6).mapToObj(i -> api.createThread("probe " + i, "probe")).toList();

    await().until(() -> inFlight.inFlight() == 2);
    // held back: pending, and not failed for it
    await().until(() -> ids.stream().filter(id -> api.status(id).equals("pending")).count() == 4);

    LimitMeasures.finishOneAtATime(inFlight, ids.size(), 2);

    ids.forEach(id -> api.awaitStatus(id, "completed"));
    assertThat(inFlight.most()).isEqualTo(2);
    assertThat(inFlight.entered()).isEqualTo(ids.size());
    PrometheusScrape meters = PrometheusScrape.of(api);
    assertThat(
            meters.value("orchestro_limit_wait_seconds_count", Map.of("limit", "agent:in-flight")))
        .isGreaterThanOrEqualTo(4);
  }

  @Test
  void noMoreStartsWithinAPeriodThanTheWorkflowTypesRate() {
    List<String> ids =
        IntStream.range(0, 7).mapToObj(i -> api.createThread("rated " + i, "rated")).toList();

    ids.forEach(id -> api.awaitStatus(id, "completed"));
    List<Instant> starts = LimitMeasures.firstStepStarts(api, ids);

    assertThat(LimitMeasures.mostStartsWithin(starts, RATE_PERIOD)).isEqualTo(3);
    // 7 starts at 3 per 2 s: the last no sooner than two periods after the first
    Instant first = starts.stream().min(Instant::compareTo).orElseThrow();
    Instant last = starts.stream().max(Instant::compareTo).orElseThrow();
    assertThat(Duration.between(first, last))
        .isGreaterThanOrEqualTo(RATE_PERIOD.multipliedBy(2).minus(LimitMeasures.START_SKEW));
  }
}
