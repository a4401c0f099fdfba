package io.orchestro.threads.bootstrap;

import java.util.Set;

/** The values of {@code orchestro.storage}. */
final class StorageMode {

  static final String PROPERTY = "orchestro.storage";

  /** H2 (the default) or PostgreSQL, chosen by {@code spring.datasource.url}. */
  static final String DATABASE = "database";

  /** JSON files under {@code orchestro.storage.json.dir}. */
  static final String JSON = "json";

  /** The JSON mode's directory. */
  static final String JSON_DIRECTORY = "orchestro.storage.json.dir";

  static final String DEFAULT_JSON_DIRECTORY = "./data/json";

  static final Set<String> ALL = Set.of(DATABASE, JSON);

  private StorageMode() {}
}
