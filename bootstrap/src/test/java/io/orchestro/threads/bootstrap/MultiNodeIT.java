package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.orchestro.threads.adapters.persistence.PostgresTestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Two nodes, each the packaged jar in a process of its own, share one PostgreSQL schema and 200
 * threads. One is killed with SIGKILL mid-run: the other takes its threads over once their leases
 * expire, every thread completes, and no step completes twice; only the steps in flight on the
 * killed node run a second time. The failover time (kill to the last of the killed node's threads
 * claimed by the survivor) must stay within the lease plus five seconds.
 */
@ExtendWith(PostgresTestDatabase.Required.class)
class MultiNodeIT {

  private static final int THREADS = 200;
  private static final Duration LEASE = Duration.ofSeconds(5);
  private static final String SURVIVOR = "node-a";
  private static final String VICTIM = "node-b";

  private PostgresTestDatabase.Schema schema;
  private final List<JarProcess> processes = new ArrayList<>();

  /** Every node seen holding each thread, sampled while the threads run. */
  private final Map<String, Set<String>> ownersSeen = new HashMap<>();

  @BeforeEach
  void schemaOfItsOwn() {
    schema = PostgresTestDatabase.newSchema("multi_node_it");
  }

  @AfterEach
  void stopNodesAndDropSchema() {
    processes.forEach(JarProcess::close);
    schema.drop();
  }

  @Test
  void twoNodesShareTheThreadsAndTheSurvivorFinishesTheKilledNodesWithinTheLease()
      throws Exception {
    // started together: both run the Flyway migrations on the empty schema at once
    JarProcess nodeA = startNode(SURVIVOR);
    JarProcess nodeB = startNode(VICTIM);
    nodeA.awaitUp();
    nodeB.awaitUp();
    assertThat(nodeA.api().putDelayWorkflow("shared", 5, 400).status()).isEqualTo(201);

    // as behind a load balancer: creates alternate between the nodes, each of which starts work
    // at once on what it was given and claims whatever else is waiting
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      ApiClient node = (i % 2 == 0 ? nodeA : nodeB).api();
      ids.add(node.createThread("shared " + i, "shared"));
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> sampleOwners() >= THREADS * 5 / 4);

    nodeB.kill();
    long killedAt = System.nanoTime();
    Map<String, Set<String>> inFlightOnVictim = stepsRunningOn(VICTIM);
    assertThat(inFlightOnVictim).as("threads the killed node held").isNotEmpty();
    assertThat(inFlightOnVictim.values().stream().mapToInt(Set::size).sum())
        .as("steps in flight on the killed node")
        .isPositive();

    await()
        .atMost(LEASE.plusSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> heldBy(VICTIM) == 0);
    Duration failover = Duration.ofNanos(System.nanoTime() - killedAt);
    System.out.printf(
        "failover: %d ms (lease %d ms); %d threads held by the killed node%n",
        failover.toMillis(), LEASE.toMillis(), inFlightOnVictim.size());
    assertThat(failover).isLessThanOrEqualTo(LEASE.plusSeconds(5));

    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> completedThreads(nodeA.api()) == THREADS);

    assertThat(ownersSeen.values().stream().filter(owners -> owners.contains(SURVIVOR)))
        .as("threads seen running on the survivor")
        .isNotEmpty();
    assertThat(ownersSeen.values().stream().filter(owners -> owners.contains(VICTIM)))
        .as("threads seen running on the killed node")
        .isNotEmpty();
    Map<String, Integer> completions = countEvents("step_completed");
    Map<String, Integer> starts = countEvents("step_started");
    for (String id : ids) {
      JsonNode thread = nodeA.api().thread(id);
      assertThat(thread.get("status").asString()).isEqualTo("completed");
      for (JsonNode step : thread.get("steps")) {
        String name = step.get("name").asString();
        String key = id + "/" + name;
        boolean inFlightAtKill = inFlightOnVictim.getOrDefault(id, Set.of()).contains(name);
        assertThat(completions.get(key)).as("completions of %s", key).isEqualTo(1);
        assertThat(starts.get(key))
            .as("starts of %s (in flight on the killed node: %s)", key, inFlightAtKill)
            .isEqualTo(inFlightAtKill ? 2 : 1);
        assertThat(step.get("attempts").asInt()).isEqualTo(inFlightAtKill ? 2 : 1);
      }
    }
  }

  private JarProcess startNode(String nodeId) throws Exception {
    List<String> arguments =
        new ArrayList<>(CommandLine.of(schema.connection().springProperties()));
    arguments.add("--orchestro.engine.node-id=" + nodeId);
    arguments.add("--orchestro.engine.lease=" + LEASE.toSeconds() + "s");
    JarProcess node =
        JarProcess.start(Path.of("target", "multi-node-it", nodeId + ".log"), arguments);
    processes.add(node);
    return node;
  }

  /**
   * Notes which node holds each running thread now.
   *
   * @return how many steps have completed so far, on either node
   */
  private int sampleOwners() throws SQLException {
    try (Connection connection = schema.connection().open();
        Statement statement = connection.createStatement()) {
      try (ResultSet rows =
          statement.executeQuery(
              "select thread_id, claim_owner from workflow_thread where claim_owner is not null")) {
        while (rows.next()) {
          ownersSeen
              .computeIfAbsent(rows.getString(1), id -> new HashSet<>())
              .add(rows.getString(2));
        }
      }
      try (ResultSet rows =
          statement.executeQuery(
              "select count(*) from thread_event where type = 'step_completed'")) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  /** The steps running in the threads this node holds, by thread id. */
  private Map<String, Set<String>> stepsRunningOn(String nodeId) throws SQLException {
    Map<String, Set<String>> running = new HashMap<>();
    try (Connection connection = schema.connection().open();
        var query =
            connection.prepareStatement(
                "select t.thread_id, s.name, s.status from workflow_thread t"
                    + " join thread_step s on s.thread_id = t.thread_id where t.claim_owner = ?")) {
      query.setString(1, nodeId);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          Set<String> steps = running.computeIfAbsent(rows.getString(1), id -> new HashSet<>());
          if (rows.getString(3).equals("running")) {
            steps.add(rows.getString(2));
          }
        }
      }
    }
    return running;
  }

  private int heldBy(String nodeId) throws SQLException {
    try (Connection connection = schema.connection().open();
        var query =
            connection.prepareStatement(
                "select count(*) from workflow_thread where claim_owner = ?")) {
      query.setString(1, nodeId);
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  /** How many events of this type each step has, by "thread id/step name". */
  private Map<String, Integer> countEvents(String type) throws SQLException {
    Map<String, Integer> counts = new HashMap<>();
    try (Connection connection = schema.connection().open();
        var query =
            connection.prepareStatement(
                "select thread_id, step, count(*) from thread_event where type = ?"
                    + " group by thread_id, step")) {
      query.setString(1, type);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          counts.put(rows.getString(1) + "/" + rows.getString(2), rows.getInt(3));
        }
      }
    }
    return counts;
  }

  private static int completedThreads(ApiClient api) {
    return api.get("/api/threads?status=completed&workflow_type=shared&size=1")
        .body()
        .get("total")
        .asInt();
  }
}
