package io.orchestro.threads.adapters.persistence.sql;

import io.orchestro.threads.application.port.out.DuplicateWorkflowVersionException;
import io.orchestro.threads.application.port.out.WorkflowCatalog;
import io.orchestro.threads.domain.WorkflowDefinition;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Workflow definitions in a relational database, every version of each type, in plain SQL: one row
 * of {@code workflow_definition} per version, never changed. Each call is one statement, so each is
 * its own transaction.
 */
public final class JdbcWorkflowCatalog implements WorkflowCatalog {

  private static final String SELECT =
      "select type, version, description, keywords, steps from workflow_definition";

  private final JdbcClient sql;

  public JdbcWorkflowCatalog(DataSource dataSource) {
    this.sql = JdbcClient.create(dataSource);
  }

  @Override
  public Optional<WorkflowDefinition> latest(String type) {
    return sql.sql(SELECT + " where type = ? order by version desc limit 1")
        .param(type)
        .query(WorkflowDefinitionMapping::read)
        .optional();
  }

  @Override
  public Optional<WorkflowDefinition> find(String type, int version) {
    return sql.sql(SELECT + " where type = ? and version = ?")
        .params(type, version)
        .query(WorkflowDefinitionMapping::read)
        .optional();
  }

  @Override
  public List<WorkflowDefinition> latestOfEach() {
    return sql.sql(
            SELECT
                + " d where version = (select max(o.version) from workflow_definition o"
                + " where o.type = d.type) order by type")
        .query(WorkflowDefinitionMapping::read)
        .list();
  }

  @Override
  public List<WorkflowDefinition> all() {
    return sql.sql(SELECT + " order by type, version")
        .query(WorkflowDefinitionMapping::read)
        .list();
  }

  @Override
  public void add(WorkflowDefinition definition) {
    try {
      sql.sql(
              "insert into workflow_definition (type, version, description, keywords, steps)"
                  + " values (?, ?, ?, ?, ?)")
          .params(WorkflowDefinitionMapping.columns(definition))
          .update();
    } catch (DuplicateKeyException taken) {
      // the primary key: this version was stored before, or by a writer that won a race
      throw new DuplicateWorkflowVersionException(definition.type(), definition.version());
    }
  }
}
