package io.orchestro.threads.adapters.persistence.sql;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** Spring Data access to {@code workflow_definition}; public only so that bootstrap can wire it. */
public interface WorkflowDefinitionRepository
    extends JpaRepository<WorkflowDefinitionEntity, WorkflowDefinitionEntity.Key> {

  Optional<WorkflowDefinitionEntity> findFirstByTypeOrderByVersionDesc(String type);

  /** Every version of every type, ordered by type, then version. */
  List<WorkflowDefinitionEntity> findAllByOrderByTypeAscVersionAsc();

  /** The highest version of every type, ordered by type. */
  @Query(
      """
      select d from WorkflowDefinitionEntity d
      where d.version = (select max(o.version) from WorkflowDefinitionEntity o where o.type = d.type)
      order by d.type
      """)
  List<WorkflowDefinitionEntity> findLatestOfEachType();
}
