package io.orchestro.threads.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestro.threads.application.port.out.DuplicateWorkflowVersionException;
import io.orchestro.threads.application.port.out.WorkflowCatalog;
import io.orchestro.threads.domain.RetryPolicy;
import io.orchestro.threads.domain.StepDefinition;
import io.orchestro.threads.domain.TestWorkflows;
import io.orchestro.threads.domain.WorkflowDefinition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link WorkflowCatalog} does, whatever it keeps definitions in. Each implementation's
 * test extends this class and hands over an empty catalog for every test.
 */
public abstract class WorkflowCatalogContractTest {

  protected WorkflowCatalog catalog;

  /** A catalog holding no definitions; called before each test. */
  protected abstract WorkflowCatalog emptyCatalog();

  @BeforeEach
  void startWithAnEmptyCatalog() {
    catalog = emptyCatalog();
  }

  @Test
  void givesBackEveryFieldWithNestedJsonConfig() {
    WorkflowDefinition definition = everyFieldSet();

    catalog.add(definition);

    assertThat(catalog.find("research", 4)).contains(definition);
    assertThat(catalog.latest("research")).contains(definition);
  }

  @Test
  void findsEachStoredVersion() {
    WorkflowDefinition first = version("research", 1, "first");
    WorkflowDefinition second = version("research", 2, "second");
    catalog.add(first);
    catalog.add(second);

    assertThat(catalog.find("research", 1)).contains(first);
    assertThat(catalog.find("research", 2)).contains(second);
    assertThat(catalog.find("research", 3)).isEmpty();
    assertThat(catalog.find("report", 1)).isEmpty();
  }

  @Test
  void latestIsTheHighestVersionWhateverTheOrderOfAdding() {
    catalog.add(version("research", 1, "first"));
    catalog.add(version("research", 3, "third"));
    catalog.add(version("research", 2, "second"));

    assertThat(catalog.latest("research")).contains(version("research", 3, "third"));
    assertThat(catalog.latest("unknown")).isEmpty();
  }

  @Test
  void latestOfEachTypeIsOrderedByTypeName() {
    catalog.add(version("zeta", 1, "z1"));
    catalog.add(version("alpha", 1, "a1"));
    catalog.add(version("zeta", 2, "z2"));
    catalog.add(version("mid", 1, "m1"));
    catalog.add(version("alpha", 2, "a2"));

    assertThat(catalog.latestOfEach())
        .containsExactly(
            version("alpha", 2, "a2"), version("mid", 1, "m1"), version("zeta", 2, "z2"));
  }

  @Test
  void anEmptyCatalogHasNoLatestOfEach() {
    assertThat(catalog.latestOfEach()).isEmpty();
  }

  @Test
  void allGivesEveryVersionOfEveryTypeOrderedByTypeThenVersion() {
    catalog.add(version("zeta", 2, "z2"));
    catalog.add(version("alpha", 10, "a10"));
    catalog.add(version("zeta", 1, "z1"));
    catalog.add(version("alpha", 2, "a2"));
    catalog.add(version("mid", 1, "m1"));

    assertThat(catalog.all())
        .containsExactly(
            version("alpha", 2, "a2"),
            version("alpha", 10, "a10"),
            version("mid", 1, "m1"),
            version("zeta", 1, "z1"),
            version("zeta", 2, "z2"));
  }

  @Test
  void anEmptyCatalogHasNoDefinitions() {
    assertThat(catalog.all()).isEmpty();
  }

  @Test
  void refusesAVersionThatIsTaken() {
    WorkflowDefinition first = version("research", 1, "first");
    catalog.add(first);

    assertThatThrownBy(() -> catalog.add(version("research", 1, "other")))
        .isInstanceOf(DuplicateWorkflowVersionException.class);
    assertThat(catalog.find("research", 1)).contains(first);
  }

  @Test
  void letsExactlyOneOfRacingAddsOfOneVersionWin() throws Exception {
    List<Callable<Void>> adds = new ArrayList<>();
    for (String description : List.of("first", "second", "third")) {
      adds.add(
          () -> {
            catalog.add(version("research", 1, description));
            return null;
          });
    }

    List<Throwable> failures = Race.failuresOf(adds);

    assertThat(failures).hasSize(adds.size() - 1);
    assertThat(failures).allMatch(DuplicateWorkflowVersionException.class::isInstance);
    assertThat(catalog.latest("research")).isPresent();
  }

  private static WorkflowDefinition version(String type, int version, String description) {
    WorkflowDefinition base = TestWorkflows.definition(type, "a", "b");
    return new WorkflowDefinition(type, version, description, base.keywords(), base.steps());
  }

  /** Every field set, with defaults and nulls where the domain allows them. */
  protected static WorkflowDefinition everyFieldSet() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("template", "Draft for {{prompt}} ✓");
    config.put("millis", 500);
    config.put("big", 10_000_000_000L);
    config.put("ratio", 0.75);
    config.put("enabled", true);
    config.put("nothing", null);
    config.put("list", Arrays.asList("x", 2, null, Map.of("deep", List.of(false))));
    return new WorkflowDefinition(
        "research",
        4,
        "Plan, gather, analyse and summarise.",
        List.of("research", "investigate", "compare"),
        List.of(
            new StepDefinition("plan", "delay", Map.of("millis", 0), null, null),
            new StepDefinition("draft", "echo", config, new RetryPolicy(3, 200), 30_000L),
            new StepDefinition("empty-config", "fail", Map.of(), RetryPolicy.NONE, 1L)));
  }
}
