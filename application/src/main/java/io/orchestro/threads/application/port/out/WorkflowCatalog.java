package io.orchestro.threads.application.port.out;

import io.orchestro.threads.domain.WorkflowDefinition;
import java.util.List;
import java.util.Optional;

/** Where workflow definitions are kept, every version of each type. */
public interface WorkflowCatalog {

  /** The newest version of a type. */
  Optional<WorkflowDefinition> latest(String type);

  /** One version of a type, as threads created with it still use it. */
  Optional<WorkflowDefinition> find(String type, int version);

  /** The newest version of every type, ordered by type name. */
  List<WorkflowDefinition> latestOfEach();

  /** Every version of every type, ordered by type name, then version. */
  List<WorkflowDefinition> all();

  /**
   * Stores a new version.
   *
   * @throws DuplicateWorkflowVersionException when that version of the type exists already
   */
  void add(WorkflowDefinition definition);
}
