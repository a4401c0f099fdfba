package io.orchestro.threads.adapters.persistence.json;

import io.orchestro.threads.application.port.out.DuplicateWorkflowVersionException;
import io.orchestro.threads.application.port.out.WorkflowCatalog;
import io.orchestro.threads.domain.WorkflowDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Workflow definitions in JSON files, one per version: {@code workflows/<type>/<version>.json} (see
 * {@link WorkflowFileMapping}). A definition is written once and never changed. Reads are served
 * from memory, loaded at start-up. Created by {@link JsonStoreDirectory}, which opens the
 * directory.
 */
public final class JsonFileWorkflowCatalog implements WorkflowCatalog {

  private final Path directory;
  private final SerialWrites writes;

  /** Every version of every type, types in name order, versions ascending. */
  private final NavigableMap<String, NavigableMap<Integer, WorkflowDefinition>> byType =
      new ConcurrentSkipListMap<>();

  JsonFileWorkflowCatalog(
      Path directory, SerialWrites writes, Collection<WorkflowDefinition> loaded) {
    this.directory = directory;
    this.writes = writes;
    loaded.forEach(this::index);
  }

  @Override
  public Optional<WorkflowDefinition> latest(String type) {
    return Optional.ofNullable(byType.get(type)).map(versions -> versions.lastEntry().getValue());
  }

  @Override
  public Optional<WorkflowDefinition> find(String type, int version) {
    return Optional.ofNullable(byType.get(type)).map(versions -> versions.get(version));
  }

  @Override
  public List<WorkflowDefinition> latestOfEach() {
    return byType.values().stream().map(versions -> versions.lastEntry().getValue()).toList();
  }

  @Override
  public List<WorkflowDefinition> all() {
    return byType.values().stream().flatMap(versions -> versions.values().stream()).toList();
  }

  @Override
  public void add(WorkflowDefinition definition) {
    writes.run(
        () -> {
          if (find(definition.type(), definition.version()).isPresent()) {
            throw new DuplicateWorkflowVersionException(definition.type(), definition.version());
          }
          byte[] content = WorkflowFileMapping.definitionFile(definition);
          Path typeDirectory = directory.resolve(definition.type());
          try {
            if (!Files.isDirectory(typeDirectory)) {
              Files.createDirectories(typeDirectory);
              // the new folder must last as much as the file in it
              AtomicFiles.syncDirectory(directory);
            }
          } catch (IOException failed) {
            throw new UncheckedIOException("could not create " + typeDirectory, failed);
          }
          AtomicFiles.replace(
              typeDirectory.resolve(WorkflowFileMapping.fileName(definition.version())), content);
          // as a restart would load it: numbers in the config as JSON gives them back
          index(WorkflowFileMapping.read(content));
          return null;
        });
  }

  private void index(WorkflowDefinition definition) {
    Map<Integer, WorkflowDefinition> versions = byType.get(definition.type());
    if (versions != null) {
      versions.put(definition.version(), definition);
      return;
    }
    // filled before it is visible: a reader never meets a type without versions
    NavigableMap<Integer, WorkflowDefinition> first = new ConcurrentSkipListMap<>();
    first.put(definition.version(), definition);
    byType.put(definition.type(), first);
  }
}
