package io.orchestro.threads.bootstrap;

import io.orchestro.threads.adapters.persistence.PostgresTestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Nodes of the application started in this JVM on one PostgreSQL test schema, each with its own web
 * server, engine and connection pool: they share nothing but the database. Closing stops them (the
 * last started first) and drops the schema.
 */
final class PostgresNodes implements AutoCloseable {

  private final PostgresTestDatabase.Schema schema;
  private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

  /** A fresh schema named after {@code name}; the caller skips unless a server answers. */
  PostgresNodes(String name) {
    this.schema = PostgresTestDatabase.newSchema(name);
  }

  /** Starts one more node, with these command-line arguments besides the database's. */
  ConfigurableApplicationContext start(String... arguments) {
    List<String> all = new ArrayList<>(CommandLine.of(schema.connection().springProperties()));
    all.addAll(List.of(arguments));
    ConfigurableApplicationContext node = CommandLine.startInThisJvm(all);
    nodes.add(node);
    return node;
  }

  @Override
  public void close() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close();
    }
    nodes.clear();
    schema.drop();
  }
}
