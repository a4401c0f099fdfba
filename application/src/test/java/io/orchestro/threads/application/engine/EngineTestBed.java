package io.orchestro.threads.application.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orchestro.threads.application.agent.Agents;
import io.orchestro.threads.application.port.in.CreateThreadCommand;
import io.orchestro.threads.application.port.out.Agent;
import io.orchestro.threads.application.port.out.EngineSignal;
import io.orchestro.threads.application.port.out.ThreadClaims;
import io.orchestro.threads.application.service.ThreadService;
import io.orchestro.threads.application.service.WorkflowService;
import io.orchestro.threads.application.testing.GateAgent;
import io.orchestro.threads.application.testing.InFlightAgent;
import io.orchestro.threads.application.testing.InMemoryThreadStore;
import io.orchestro.threads.application.testing.InMemoryThreadStore.ClaimCall;
import io.orchestro.threads.application.testing.InMemoryWorkflowCatalog;
import io.orchestro.threads.application.testing.ParkingAgent;
import io.orchestro.threads.application.testing.ReportingAgent;
import io.orchestro.threads.application.testing.SettableClock;
import io.orchestro.threads.application.testing.StandInAgents;
import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.StepStatus;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadRequest;
import io.orchestro.threads.domain.ThreadStep;
import io.orchestro.threads.domain.WorkflowThread;
import java.time.Duration;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.awaitility.core.ConditionFactory;

/**
 * What the engine tests run on: one store in memory that several engines (nodes) may share, the use
 * cases on it, a clock that moves only when the test moves it, the built-in agents and the {@link
 * GateAgent}. The engines started here stop when the test bed is closed.
 */
final class EngineTestBed implements AutoCloseable {

  static final String NODE = "node-a";

  /** Long enough that no renewal happens during a test, unless the test asks for a shorter one. */
  static final Duration LEASE = Duration.ofSeconds(30);

  /** An hour: the tests rely on the engine being signalled, never on its safety-net poll. */
  static final Duration POLL_INTERVAL = Duration.ofHours(1);

  /** The most a test waits for work on other threads: far more than any of it needs. */
  static final Duration WAIT = Duration.ofSeconds(30);

  final InMemoryThreadStore store = new InMemoryThreadStore();
  final InMemoryWorkflowCatalog catalog = new InMemoryWorkflowCatalog();
  final SettableClock clock;
  final GateAgent gate = new GateAgent();
  final GateAgent gateStoppingOnPause = new GateAgent(GateAgent.STOPPING_ON_PAUSE, true);
  final ReportingAgent reporting = new ReportingAgent();
  final ParkingAgent park;
  final InFlightAgent inFlight = new InFlightAgent();
  final Agents agents;
  final WorkflowService workflows;
  final RecordingObserver observer = new RecordingObserver();

  private final Map<ThreadEngine, String> nodeIds = new IdentityHashMap<>();
  private final ExecutorService executor = Executors.newCachedThreadPool();

  /** The use cases as a node's API calls them; they signal every engine started here. */
  final ThreadService threads;

  /**
   * Whether a create offers the engine the new thread's claim, as the service's own signal does
   * ({@link EngineSignal#claimNew}), with one engine started; off unless a test turns it on, so
   * that the other tests see every thread claimed by a dispatcher, whichever node's.
   */
  volatile boolean claimsAtCreate;

  EngineTestBed() {
    this(SettableClock.standingStill());
  }

  EngineTestBed(SettableClock clock) {
    this(clock, List.of());
  }

  /** A test bed whose nodes have {@code moreAgents} besides the usual ones. */
  EngineTestBed(SettableClock clock, List<Agent> moreAgents) {
    this.clock = clock;
    this.park = new ParkingAgent(clock);
    this.agents =
        new Agents(
            Stream.of(
                    StandInAgents.all(),
                    List.of(gate, gateStoppingOnPause, park, inFlight, reporting),
                    moreAgents)
                .flatMap(List::stream)
                .toList());
    this.workflows = new WorkflowService(catalog, agents, clock);
    this.threads =
        new ThreadService(
            store,
            workflows,
            clock,
            new EngineSignal() {
              @Override
              public void runnable(ThreadId id) {
                engines().forEach(engine -> engine.runnable(id));
              }

              @Override
              public NewClaim claimNew() {
                List<ThreadEngine> engines = engines();
                return claimsAtCreate && engines.size() == 1 ? engines.get(0).claimNew() : null;
              }

              @Override
              public void paused(ThreadId id) {
                engines().forEach(engine -> engine.paused(id));
              }

              @Override
              public void deleted(ThreadId id) {
                engines().forEach(engine -> engine.deleted(id));
              }

              @Override
              public void cancelled(ThreadId id) {
                engines().forEach(engine -> engine.cancelled(id));
              }
            });
  }

  /** The settings of node {@code nodeId}: the usual lease, no polling, no take-over at start. */
  static EngineSettings settings(String nodeId) {
    return new EngineSettings(nodeId, 256, LEASE, POLL_INTERVAL, 64, false);
  }

  ThreadEngine startEngine() {
    return startEngine(settings(NODE));
  }

  ThreadEngine startEngine(EngineSettings settings) {
    return startEngine(store, settings);
  }

  /** Starts a node that reaches the store through {@code claims}. */
  ThreadEngine startEngine(ThreadClaims claims, EngineSettings settings) {
    return startEngine(claims, settings, ThreadLimits.NONE, StepProgressPublisher.discarding());
  }

  /** Starts a node on the store that keeps {@code limits}. */
  ThreadEngine startEngine(EngineSettings settings, ThreadLimits limits) {
    return startEngine(store, settings, limits, StepProgressPublisher.discarding());
  }

  /** Starts a node on the store whose steps' progress goes to {@code progress}. */
  ThreadEngine startEngine(EngineSettings settings, StepProgressPublisher progress) {
    return startEngine(store, settings, ThreadLimits.NONE, progress);
  }

  private ThreadEngine startEngine(
      ThreadClaims claims,
      EngineSettings settings,
      ThreadLimits limits,
      StepProgressPublisher progress) {
    ThreadEngine engine =
        new ThreadEngine(
            claims, catalog, agents, clock, executor, settings, observer, limits, progress);
    synchronized (nodeIds) {
      nodeIds.put(engine, settings.nodeId());
    }
    engine.start();
    return engine;
  }

  ThreadId create(String type, String prompt) {
    return threads
        .create(
            Caller.LOCAL_ADMIN,
            new CreateThreadCommand(null, new ThreadRequest(prompt, type, null, null)))
        .thread()
        .id();
  }

  WorkflowThread thread(ThreadId id) {
    return threads.get(Caller.LOCAL_ADMIN, id);
  }

  ThreadStep step(ThreadId id, String name) {
    return thread(id).step(name).orElseThrow();
  }

  int attempts(ThreadId id, String step) {
    return step(id, step).attempts();
  }

  StepStatus stepStatus(ThreadId id, String step) {
    return step(id, step).status();
  }

  List<ThreadEventType> events(ThreadId id) {
    return store.eventTypesOf(id);
  }

  /**
   * Waits until attempt {@code attempt} at the step has failed and the thread waits out the retry
   * backoff with no worker on it: its retry will need a claim of its own.
   */
  void awaitBackoff(ThreadEngine engine, ThreadId id, String step, int attempt) {
    eventually()
        .until(() -> attempts(id, step) == attempt && stepStatus(id, step) == StepStatus.PENDING);
    eventually().until(() -> engine.runningThreads() == 0);
  }

  /**
   * Signals the engine about {@code id}, waits until it has looked for work at the clock's present
   * time after the signal, and checks that it left the thread alone: the proof, without sleeping,
   * that the engine will not run the thread as things stand. Any look at this time sees what that
   * one saw, so a look that began before the signal proves no less.
   */
  void assertLeftAlone(ThreadEngine engine, ThreadId id) {
    String owner;
    synchronized (nodeIds) {
      owner = nodeIds.get(engine);
    }
    int callsBefore = store.claimCalls().size();
    Instant now = clock.instant();
    engine.runnable(id);
    ClaimCall look =
        eventually()
            .until(
                () ->
                    store.claimCalls().stream()
                        .skip(callsBefore)
                        .filter(call -> call.owner().equals(owner) && call.now().equals(now))
                        .findFirst(),
                Optional::isPresent)
            .orElseThrow();
    assertThat(look.claimed()).as("claimed by %s at %s", owner, now).doesNotContain(id);
  }

  /** Awaitility, polling often, with room for a slow machine. */
  static ConditionFactory eventually() {
    return await().atMost(WAIT).pollInterval(Duration.ofMillis(10));
  }

  @Override
  public void close() {
    engines().forEach(ThreadEngine::close);
    executor.shutdownNow();
  }

  private List<ThreadEngine> engines() {
    synchronized (nodeIds) {
      return List.copyOf(nodeIds.keySet());
    }
  }
}
