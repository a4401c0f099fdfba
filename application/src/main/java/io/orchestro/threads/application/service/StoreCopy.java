package io.orchestro.threads.application.service;

import io.orchestro.threads.application.port.out.DuplicateThreadException;
import io.orchestro.threads.application.port.out.DuplicateWorkflowVersionException;
import io.orchestro.threads.application.port.out.WorkerTaskStore;
import io.orchestro.threads.application.port.out.WorkflowCatalog;
import io.orchestro.threads.application.port.out.WorkflowThreadStore;
import io.orchestro.threads.domain.ListThreadsQuery;
import io.orchestro.threads.domain.ThreadPage;
import io.orchestro.threads.domain.WorkerTask;
import io.orchestro.threads.domain.WorkflowDefinition;
import io.orchestro.threads.domain.WorkflowThread;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Copies every workflow definition version, every thread and the tasks of its {@code worker} steps
 * from one store into another: how a user moves between storage modes (JSON files to H2 or
 * PostgreSQL, and back).
 *
 * <ul>
 *   <li>Definitions first, each (type, version) the target lacks; a version the target has is left
 *       as it is.
 *   <li>Then threads, page by page, each with every field it has in the source (as a {@link
 *       WorkflowThread#snapshot() snapshot}, {@link WorkflowThread#restore restored}). The target
 *       stores them at version 0. A thread whose id the target has already is skipped and counted,
 *       never overwritten, so running a copy twice copies nothing the second time.
 * </ul>
 *
 * <p>Not copied:
 *
 * <ul>
 *   <li>Claims: a thread that was running is taken over by the target's engine as after a crash,
 *       and the step it had in flight runs again (steps are at-least-once).
 *   <li>The event history: no port reads events back yet, so the target's event log holds only what
 *       happens there from now on.
 * </ul>
 *
 * <p>Neither store may change while the copy runs: nothing may run the threads (no engine) or
 * create or delete them (no API), or pages would shift under the copy.
 */
public final class StoreCopy {

  /** Threads read from the source per page. */
  static final int PAGE_SIZE = ListThreadsQuery.MAX_SIZE;

  /** One side of a copy: a store's threads, its workflow definitions and its worker tasks. */
  public record Stores(
      WorkflowThreadStore threads, WorkflowCatalog catalog, WorkerTaskStore tasks) {

    public Stores {
      Objects.requireNonNull(threads, "threads");
      Objects.requireNonNull(catalog, "catalog");
      Objects.requireNonNull(tasks, "tasks");
    }
  }

  /**
   * What a copy did.
   *
   * @param threadsSkipped threads left out because the target had their id already (and their tasks
   *     with them)
   */
  public record Report(
      int definitionsCopied, int threadsCopied, int threadsSkipped, int tasksCopied) {}

  /** Copies everything {@code from} holds into {@code to}; see the class comment. */
  public Report copy(Stores from, Stores to) {
    int definitionsCopied = 0;
    for (WorkflowDefinition definition : from.catalog().all()) {
      if (addIfMissing(definition, to.catalog())) {
        definitionsCopied++;
      }
    }
    int threadsCopied = 0;
    int threadsSkipped = 0;
    int tasksCopied = 0;
    for (int page = 0; ; page++) {
      ThreadPage threads =
          from.threads().list(new ListThreadsQuery(Set.of(), null, page, PAGE_SIZE));
      for (WorkflowThread thread : threads.items()) {
        if (insertIfMissing(thread, to.threads())) {
          threadsCopied++;
          tasksCopied += copyTasks(thread, from.tasks(), to.tasks());
        } else {
          threadsSkipped++;
        }
      }
      if (threads.items().size() < PAGE_SIZE) {
        break;
      }
    }
    return new Report(definitionsCopied, threadsCopied, threadsSkipped, tasksCopied);
  }

  private static int copyTasks(WorkflowThread thread, WorkerTaskStore from, WorkerTaskStore to) {
    List<WorkerTask> tasks = from.ofThread(thread.id());
    tasks.forEach(to::offer);
    return tasks.size();
  }

  private static boolean addIfMissing(WorkflowDefinition definition, WorkflowCatalog target) {
    if (target.find(definition.type(), definition.version()).isPresent()) {
      return false;
    }
    try {
      target.add(definition);
      return true;
    } catch (DuplicateWorkflowVersionException addedMeanwhile) {
      return false;
    }
  }

  private static boolean insertIfMissing(WorkflowThread thread, WorkflowThreadStore target) {
    if (target.find(thread.id()).isPresent()) {
      return false;
    }
    try {
      target.insert(WorkflowThread.restore(thread.snapshot()));
      return true;
    } catch (DuplicateThreadException insertedMeanwhile) {
      return false;
    }
  }
}
