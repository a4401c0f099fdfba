package io.orchestro.threads.bootstrap;

import static io.orchestro.threads.application.testing.WorkflowCommands.step;
import static io.orchestro.threads.application.testing.WorkflowCommands.workflow;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orchestro.threads.adapters.persistence.PostgresTestDatabase;
import io.orchestro.threads.adapters.persistence.sql.JdbcLimitLeases;
import io.orchestro.threads.application.agent.Agents;
import io.orchestro.threads.application.engine.EngineSettings;
import io.orchestro.threads.application.engine.StepProgressPublisher;
import io.orchestro.threads.application.engine.ThreadEngine;
import io.orchestro.threads.application.engine.ThreadLimits;
import io.orchestro.threads.application.port.out.Limit;
import io.orchestro.threads.application.port.out.ThreadClaims;
import io.orchestro.threads.application.port.out.WorkflowCatalog;
import io.orchestro.threads.application.port.out.WorkflowThreadStore;
import io.orchestro.threads.application.service.WorkflowService;
import io.orchestro.threads.application.testing.GateAgent;
import io.orchestro.threads.application.testing.InFlightAgent;
import io.orchestro.threads.application.testing.SettableClock;
import io.orchestro.threads.application.testing.StallingClaims;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.WorkflowThread;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Several nodes on one PostgreSQL database, in one JVM: the application (node A, whose API the test
 * calls over HTTP; its own engine is off so that it never runs the threads itself) and engines
 * built here as further nodes on the same store. The nodes share nothing but the database: the
 * API's pause or delete reaches a thread running on another node only through its rows.
 */
@SpringBootTest(
    classes = OrchestroThreadsApplication.class,
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = "orchestro.engine.enabled=false")
@Import(EngineTestSupport.Beans.class)
@ExtendWith(PostgresTestDatabase.Required.class)
class NodesSharingPostgresTest {

  /** Long enough that no renewal happens during a test: only the claim check can notice. */
  private static final Duration LONG_LEASE = Duration.ofSeconds(30);

  private static PostgresTestDatabase.Schema schema;

  @Autowired WorkflowThreadStore store;
  @Autowired ThreadClaims claims;
  @Autowired WorkflowCatalog catalog;
  @Autowired WorkflowService workflows;
  @Autowired Agents agents;
  @Autowired GateAgent gate;
  @Autowired InFlightAgent inFlight;
  @Autowired DataSource dataSource;
  @Autowired SettableClock clock;
  @Autowired JdbcTemplate jdbc;
  @LocalServerPort int port;

  private ApiClient nodeA;
  private final List<ThreadEngine> engines = new ArrayList<>();
  private final List<ExecutorService> executors = new ArrayList<>();

  /** The meters of the engines started here, whichever node runs a thread. */
  private final MeterRegistry enginesMeters = new SimpleMeterRegistry();

  @DynamicPropertySource
  static void inASchemaOfItsOwn(DynamicPropertyRegistry registry) {
    schema = PostgresTestDatabase.newSchema("nodes");
    schema
        .connection()
        .springProperties()
        .forEach((name, value) -> registry.add(name, () -> value));
  }

  @AfterAll
  static void dropSchema() {
    if (schema != null) {
      schema.drop();
    }
  }

  @BeforeEach
  void apiOfNodeA() {
    nodeA = new ApiClient(port);
  }

  @AfterEach
  void stopEngines() {
    engines.forEach(ThreadEngine::close);
    executors.forEach(ExecutorService::shutdownNow);
  }

  /**
   * Three engines, the API's node and PostgreSQL share the build's two cores: a worker ending may
   * take more than Awaitility's default 10 s there, and no wait below depends on running out.
   */
  private static org.awaitility.core.ConditionFactory await() {
    return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30));
  }

  @Test
  void pauseResumeAndDeleteSentToOneNodeTakeEffectOnTheNodeRunningTheThread() {
    workflows.put(
        workflow("two-gates", step("first", "gate", Map.of()), step("second", "gate", Map.of())));
    ThreadEngine nodeB = startNode("node-b", claims);
    String id = nodeA.createThread("shared", "two-gates");
    await().until(() -> gate.hasStarted(id, "first"));
    assertThat(claimOwner(id)).isEqualTo("node-b");

    assertThat(nodeA.post("/api/threads/" + id + "/pause").body().get("status").asString())
        .isEqualTo("paused");

    // node B finishes the step in flight, records it, and stops at the step boundary
    gate.open(id, "first");
    await().until(() -> stepStatus(id, "first").equals("completed"));
    await().until(() -> nodeB.runningThreads() == 0);
    // no worker is left, and a paused thread nobody holds is claimed by no node (the claims'
    // contract test; the application's engine tests show that an engine then leaves it alone)
    assertThat(claimOwner(id)).isNull();
    assertThat(gate.hasStarted(id, "second")).isFalse();
    assertThat(nodeA.status(id)).isEqualTo("paused");
    assertThat(stepStatus(id, "second")).isEqualTo("pending");

    assertThat(nodeA.post("/api/threads/" + id + "/resume").status()).isEqualTo(200);
    await().until(() -> gate.hasStarted(id, "second"));
    assertThat(claimOwner(id)).isEqualTo("node-b");

    long deletedAt = System.nanoTime();
    assertThat(nodeA.delete("/api/threads/" + id).status()).isEqualTo(204);

    // node B learns of it from its claim check, well before any renewal would tell it
    await().atMost(LONG_LEASE.dividedBy(3)).until(() -> gate.wasCancelled(id, "second"));
    Duration noticedAfter = Duration.ofNanos(System.nanoTime() - deletedAt);
    assertThat(noticedAfter).isLessThan(LONG_LEASE.dividedBy(3));
    await().until(() -> nodeB.runningThreads() == 0);
    assertThat(nodeA.get("/api/threads/" + id).status()).isEqualTo(404);
    assertThat(eventTypes(id)).last().isEqualTo("thread_deleted");
  }

  @Test
  void aCancelSentToOneNodeCancelsTheAgentOnTheNodeRunningTheThreadAndKeepsTheThread() {
    workflows.put(workflow("one-gate", step("only", "gate", Map.of())));
    ThreadEngine nodeB = startNode("node-b", claims);
    String id = nodeA.createThread("cancelled across nodes", "one-gate");
    await().until(() -> gate.hasStarted(id, "only"));
    assertThat(claimOwner(id)).isEqualTo("node-b");

    ApiClient.Reply cancelled = nodeA.post("/api/threads/" + id + "/cancel");

    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.body().get("error_message").asString()).isEqualTo("cancelled");
    // the cancel ended node B's claim: its claim check stops the agent, as for a delete
    await().atMost(LONG_LEASE.dividedBy(3)).until(() -> gate.wasCancelled(id, "only"));
    await().until(() -> nodeB.runningThreads() == 0);
    assertThat(nodeA.status(id)).isEqualTo("failed");
    assertThat(stepStatus(id, "only")).isEqualTo("failed");
    assertThat(claimOwner(id)).isNull();
    assertThat(eventTypes(id)).last().isEqualTo("thread_failed");
  }

  @Test
  void aNodeThatStalledPastItsLeaseCannotRecordItsStepOverTheNodeThatTookItOver() {
    workflows.put(
        workflow(
            "gate-then-echo",
            step("work", "gate", Map.of()),
            step("after", "echo", Map.of("template", "{{steps.work.output.attempt}}"))));
    StallingClaims stallingClaims = new StallingClaims(claims);
    ThreadEngine stalled = startNode("node-b", stallingClaims);
    String id = nodeA.createThread("shared", "gate-then-echo");
    await().until(() -> gate.hasStarted(id, "work"));

    // node B stalls (a long GC pause, say): its timer can neither renew nor check its claims;
    // its lease passes and node C takes the thread over, running the step again
    stallingClaims.stall();
    clock.advance(LONG_LEASE.plusSeconds(1));
    ThreadEngine nodeC = startNode("node-c", claims);
    await().until(() -> attempts(id, "work") == 2);
    assertThat(claimOwner(id)).isEqualTo("node-c");

    // both attempts finish: node B's result is refused, node C's is recorded
    gate.open(id, "work");
    nodeA.awaitStatus(id, "completed");
    await().until(() -> stalled.runningThreads() == 0);
    assertThat(stallingClaims.refusedWrites()).containsExactly(ThreadId.parse(id));
    assertThat(eventTypes(id).stream().filter("step_completed"::equals)).hasSize(2);
    assertThat(stepCompletions(id, "work")).isEqualTo(1);
    WorkflowThread done = store.find(ThreadId.parse(id)).orElseThrow();
    assertThat(done.step("work").orElseThrow().output()).containsEntry("attempt", 2);
    assertThat(done.step("after").orElseThrow().output()).containsEntry("text", "2");
    assertThat(nodeC.runningThreads()).isZero();
    stallingClaims.resume();
  }

  @Test
  void twoNodesKeepTheLimitsOfAnAgentAndOfAWorkflowTypeTogether() {
    workflows.put(workflow("probe", step("only", InFlightAgent.NAME, Map.of())));
    workflows.put(workflow("rated", step("only", "echo", Map.of())));
    // each node reaches the limits through a store of its own, as separate processes do
    startNode("node-b", claims, limitsOfANode());
    startNode("node-c", claims, limitsOfANode());

    List<String> probes =
        IntStream.range(0, 8).mapToObj(i -> nodeA.createThread("probe " + i, "probe")).toList();
    // every thread beyond the two places refused before any place frees: a thread claimed only
    // after one had finished would take its place without a wait, and the count below would not
    // say what it means
    await()
        .until(
            () -> jdbc.queryForObject("select count(*) from limit_wait", Integer.class),
            refused -> refused == probes.size() - 2);
    LimitMeasures.finishOneAtATime(inFlight, probes.size(), 2);
    probes.forEach(id -> nodeA.awaitStatus(id, "completed"));
    assertThat(inFlight.most()).isEqualTo(2);
    assertThat(inFlight.entered()).isEqualTo(probes.size());
    // each of the 6 threads held back reports its wait, though the node that first refused it may
    // not be the one that ran it
    Timer waits =
        enginesMeters
            .get(OrchestroMeters.LIMIT_WAIT)
            .tag(OrchestroMeters.LIMIT, Limit.agentKey(InFlightAgent.NAME))
            .timer();
    assertThat(waits.count()).isGreaterThanOrEqualTo(probes.size() - 2);

    List<String> rated =
        IntStream.range(0, 7).mapToObj(i -> nodeA.createThread("rated " + i, "rated")).toList();
    rated.forEach(id -> nodeA.awaitStatus(id, "completed"));
    List<Instant> starts = LimitMeasures.firstStepStarts(nodeA, rated);
    assertThat(LimitMeasures.mostStartsWithin(starts, Duration.ofSeconds(2))).isEqualTo(3);
  }

  private ThreadLimits limitsOfANode() {
    return new ThreadLimits(
        Map.of(InFlightAgent.NAME, Limit.of(Limit.agentKey(InFlightAgent.NAME), 2, null)),
        Map.of("rated", Limit.of(Limit.workflowKey("rated"), null, "3/2s")),
        new JdbcLimitLeases(dataSource));
  }

  private ThreadEngine startNode(String nodeId, ThreadClaims nodeClaims) {
    return startNode(nodeId, nodeClaims, ThreadLimits.NONE);
  }

  private ThreadEngine startNode(String nodeId, ThreadClaims nodeClaims, ThreadLimits limits) {
    ExecutorService executor = Executors.newCachedThreadPool();
    executors.add(executor);
    ThreadEngine engine =
        new ThreadEngine(
            nodeClaims,
            catalog,
            agents,
            clock,
            executor,
            new EngineSettings(nodeId, 16, LONG_LEASE, Duration.ofMillis(100), 8, false),
            new EngineTelemetry(enginesMeters),
            limits,
            StepProgressPublisher.discarding());
    engines.add(engine);
    engine.start();
    return engine;
  }

  private String stepStatus(String id, String step) {
    for (var each : nodeA.thread(id).get("steps")) {
      if (each.get("name").asString().equals(step)) {
        return each.get("status").asString();
      }
    }
    throw new AssertionError("no step " + step);
  }

  private int attempts(String id, String step) {
    return store.find(ThreadId.parse(id)).orElseThrow().step(step).orElseThrow().attempts();
  }

  private String claimOwner(String id) {
    return jdbc.queryForObject(
        "select claim_owner from workflow_thread where thread_id = ?",
        String.class,
        java.util.UUID.fromString(id));
  }

  private List<String> eventTypes(String id) {
    return jdbc.queryForList(
        "select type from thread_event where thread_id = ? order by id",
        String.class,
        java.util.UUID.fromString(id));
  }

  private int stepCompletions(String id, String step) {
    return jdbc.queryForObject(
        "select count(*) from thread_event where thread_id = ? and type = 'step_completed'"
            + " and step = ?",
        Integer.class,
        java.util.UUID.fromString(id),
        step);
  }
}
