package io.orchestro.threads.application.service;

import io.orchestro.threads.application.port.in.BatchItemException;
import io.orchestro.threads.application.port.in.CancelThreadUseCase;
import io.orchestro.threads.application.port.in.CreateThreadCommand;
import io.orchestro.threads.application.port.in.CreateThreadUseCase;
import io.orchestro.threads.application.port.in.CreateThreadsUseCase;
import io.orchestro.threads.application.port.in.DeleteThreadUseCase;
import io.orchestro.threads.application.port.in.GetThreadUseCase;
import io.orchestro.threads.application.port.in.ListThreadsUseCase;
import io.orchestro.threads.application.port.in.PauseThreadUseCase;
import io.orchestro.threads.application.port.in.ResumeThreadUseCase;
import io.orchestro.threads.application.port.in.RetryThreadUseCase;
import io.orchestro.threads.application.port.in.ThreadIdConflictException;
import io.orchestro.threads.application.port.in.ThreadNotFoundException;
import io.orchestro.threads.application.port.in.UnknownWorkflowTypeException;
import io.orchestro.threads.application.port.out.ConcurrentThreadUpdateException;
import io.orchestro.threads.application.port.out.DuplicateThreadException;
import io.orchestro.threads.application.port.out.EngineSignal;
import io.orchestro.threads.application.port.out.WorkflowThreadStore;
import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.ListThreadsQuery;
import io.orchestro.threads.domain.ThreadCounts;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadPage;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.WorkflowDefinition;
import io.orchestro.threads.domain.WorkflowThread;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The thread use cases: create (one or many), list, get, pause, resume, retry, cancel and delete.
 */
public final class ThreadService
    implements CreateThreadUseCase,
        CreateThreadsUseCase,
        ListThreadsUseCase,
        GetThreadUseCase,
        PauseThreadUseCase,
        ResumeThreadUseCase,
        RetryThreadUseCase,
        CancelThreadUseCase,
        DeleteThreadUseCase {

  /**
   * A lifecycle call loses a race only to the engine's step writes, which are brief; this many
   * rounds are plenty.
   */
  private static final int MAX_UPDATE_ROUNDS = 20;

  private final WorkflowThreadStore store;
  private final WorkflowService workflows;
  private final Clock clock;
  private final EngineSignal engine;

  public ThreadService(
      WorkflowThreadStore store, WorkflowService workflows, Clock clock, EngineSignal engine) {
    this.store = store;
    this.workflows = workflows;
    this.clock = clock;
    this.engine = engine;
  }

  @Override
  public CreatedThread create(Caller caller, CreateThreadCommand command) {
    if (command.threadId() != null) {
      var existing = store.find(command.threadId());
      if (existing.isPresent()) {
        return sameRequestOrConflict(caller, existing.get(), command);
      }
    }
    WorkflowDefinition definition = workflows.definitionFor(command.request());
    ThreadId id = command.threadId() != null ? command.threadId() : ThreadId.generate();
    Instant now = clock.instant();
    WorkflowThread thread =
        WorkflowThread.create(id, caller.owner(), command.request(), definition, now);
    EngineSignal.NewClaim claim = null;
    WorkflowThread stored = null;
    try {
      claim = claimFor(thread, now);
      if (claim != null) {
        stored = store.insertClaimed(thread, claim.owner(), claim.leaseUntil());
      } else {
        stored = store.insert(thread);
      }
    } catch (DuplicateThreadException raced) {
      // the same id was created concurrently: judge against the winner
      return sameRequestOrConflict(caller, store.find(id).orElseThrow(() -> raced), command);
    } finally {
      handOver(claim, stored);
    }
    if (claim == null) {
      engine.runnable(id);
    }
    return new CreatedThread(stored, true);
  }

  @Override
  public List<CreatedThread> createAll(Caller caller, List<CreateThreadCommand> commands) {
    if (commands.size() > MAX_THREADS) {
      throw new IllegalArgumentException(
          "at most " + MAX_THREADS + " threads at once; got " + commands.size());
    }
    for (int round = 1; ; round++) {
      try {
        return createAllOnce(caller, commands);
      } catch (DuplicateThreadException raced) {
        // another request created one of the ids meanwhile: the next round judges against it
        if (round == MAX_UPDATE_ROUNDS) {
          throw new ConcurrentThreadUpdateException(raced.id());
        }
      }
    }
  }

  /**
   * One try at {@link #createAll}: judges each command as a single create would, then stores the
   * new threads in one write.
   *
   * @throws DuplicateThreadException when another request stored one of the ids first
   */
  private List<CreatedThread> createAllOnce(Caller caller, List<CreateThreadCommand> commands) {
    Instant now = clock.instant();
    CreatedThread[] results = new CreatedThread[commands.size()];
    Map<ThreadId, Integer> firstPlaceOf = new HashMap<>();
    List<WorkflowThread> fresh = new ArrayList<>();
    List<Integer> freshPlaces = new ArrayList<>();
    for (int place = 0; place < commands.size(); place++) {
      CreateThreadCommand command = commands.get(place);
      try {
        ThreadId id = command.threadId();
        if (id != null) {
          Integer earlier = firstPlaceOf.putIfAbsent(id, place);
          if (earlier != null) {
            if (!commands.get(earlier).request().equals(command.request())) {
              throw new ThreadIdConflictException(id);
            }
            continue; // the same thread as the earlier item, filled in below
          }
          var existing = store.find(id);
          if (existing.isPresent()) {
            results[place] = sameRequestOrConflict(caller, existing.get(), command);
            continue;
          }
        } else {
          id = ThreadId.generate();
        }
        WorkflowDefinition definition = workflows.definitionFor(command.request());
        fresh.add(WorkflowThread.create(id, caller.owner(), command.request(), definition, now));
        freshPlaces.add(place);
      } catch (ThreadIdConflictException
          | UnknownWorkflowTypeException
          | IllegalArgumentException rejected) {
        throw new BatchItemException(place, rejected);
      }
    }
    List<WorkflowThread> stored = fresh.isEmpty() ? List.of() : insertAll(fresh, now);
    for (int i = 0; i < stored.size(); i++) {
      results[freshPlaces.get(i)] = new CreatedThread(stored.get(i), true);
    }
    for (int place = 0; place < results.length; place++) {
      if (results[place] == null) {
        CreatedThread first = results[firstPlaceOf.get(commands.get(place).threadId())];
        results[place] = new CreatedThread(first.thread(), false);
      }
    }
    return List.of(results);
  }

  /**
   * This node's engine's claim for a thread about to be stored, with the thread and its first step
   * started when the engine may start them at once; null when the thread is to be stored unclaimed:
   * its start time is ahead (it waits in the store, as the engine keeps it), the store keeps no
   * claims with new threads, or the engine has no place for it now.
   */
  private EngineSignal.NewClaim claimFor(WorkflowThread thread, Instant now) {
    EngineSignal.NewClaim claim =
        thread.waitsForStartAt(now) || !store.insertsClaimed() ? null : engine.claimNew();
    if (claim != null) {
      try {
        claim.startFirstStep(thread);
      } catch (RuntimeException failed) {
        // the caller never sees this claim: its place is given back here
        claim.cancel();
        throw failed;
      }
    }
    return claim;
  }

  /**
   * Hands a claimed thread to the engine once it is stored, or gives the claim's place back when it
   * was not (the insert failed); nothing without a claim.
   */
  private static void handOver(EngineSignal.NewClaim claim, WorkflowThread stored) {
    if (claim == null) {
      return;
    }
    if (stored != null) {
      claim.start(stored);
    } else {
      claim.cancel();
    }
  }

  /**
   * Stores new threads in one write, as many of them claimed by this node's engine, their first
   * step started, as it has places for at once (a single create's way, {@link #create}); the others
   * wait for its dispatcher.
   */
  private List<WorkflowThread> insertAll(List<WorkflowThread> fresh, Instant now) {
    List<EngineSignal.NewClaim> claims = new ArrayList<>();
    List<WorkflowThread> stored = List.of();
    try {
      for (WorkflowThread thread : fresh) {
        claims.add(claimFor(thread, now));
      }
      List<EngineSignal.NewClaim> given = claims.stream().filter(Objects::nonNull).toList();
      stored =
          given.isEmpty()
              ? store.insertAll(fresh)
              : store.insertAllClaimed(
                  fresh,
                  given.get(0).owner(),
                  claims.stream().map(claim -> claim == null ? null : claim.leaseUntil()).toList());
    } finally {
      for (int i = 0; i < claims.size(); i++) {
        handOver(claims.get(i), stored.isEmpty() ? null : stored.get(i));
      }
    }
    for (int i = 0; i < stored.size(); i++) {
      if (claims.get(i) == null) {
        engine.runnable(stored.get(i).id());
      }
    }
    return stored;
  }

  /**
   * A create with the id of a stored thread: that thread when the request is the same, else a
   * conflict. A thread the caller does not see is a conflict whatever its request, so that nothing
   * of it is shown.
   */
  private static CreatedThread sameRequestOrConflict(
      Caller caller, WorkflowThread existing, CreateThreadCommand command) {
    if (!caller.sees(existing.owner()) || !existing.request().equals(command.request())) {
      throw new ThreadIdConflictException(existing.id());
    }
    return new CreatedThread(existing, false);
  }

  @Override
  public ThreadPage list(Caller caller, ListThreadsQuery query) {
    return store.list(query.withOwner(caller.ownerFilter()));
  }

  @Override
  public ThreadCounts count(Caller caller, ListThreadsQuery filter) {
    // one count per status through the list's own filtering, so that the counts and the pages
    // always agree: five small queries, for a view that asks at most about once a second
    Map<ThreadStatus, Long> counts = new EnumMap<>(ThreadStatus.class);
    for (ThreadStatus status : ThreadStatus.values()) {
      ListThreadsQuery oneStatus =
          new ListThreadsQuery(
              Set.of(status),
              filter.workflowType(),
              filter.text(),
              filter.createdAfter(),
              filter.createdBefore(),
              ListThreadsQuery.SortBy.CREATED_AT,
              false,
              0,
              1,
              caller.ownerFilter());
      counts.put(status, store.list(oneStatus).total());
    }
    return new ThreadCounts(counts);
  }

  @Override
  public WorkflowThread get(Caller caller, ThreadId id) {
    // another owner's thread is not found, rather than forbidden: its id tells nothing
    return store
        .find(id)
        .filter(thread -> caller.sees(thread.owner()))
        .orElseThrow(() -> new ThreadNotFoundException(id));
  }

  @Override
  public WorkflowThread pause(Caller caller, ThreadId id) {
    WorkflowThread thread =
        change(caller, id, candidate -> candidate.pause(caller.owner(), clock.instant()));
    engine.paused(id);
    return thread;
  }

  @Override
  public WorkflowThread resume(Caller caller, ThreadId id) {
    WorkflowThread thread =
        change(caller, id, candidate -> candidate.resume(caller.owner(), clock.instant()));
    engine.runnable(id);
    return thread;
  }

  @Override
  public WorkflowThread retry(Caller caller, ThreadId id) {
    WorkflowThread thread =
        change(
            caller,
            id,
            candidate -> {
              candidate.retry(caller.owner(), clock.instant());
              return true;
            });
    engine.runnable(id);
    return thread;
  }

  @Override
  public WorkflowThread cancel(Caller caller, ThreadId id) {
    WorkflowThread thread =
        change(
            caller,
            id,
            candidate -> {
              candidate.cancel(caller.owner(), clock.instant());
              return true;
            });
    engine.cancelled(id);
    return thread;
  }

  @Override
  public void delete(Caller caller, ThreadId id) {
    WorkflowThread thread = get(caller, id);
    thread.delete(caller.owner(), clock.instant());
    if (!store.delete(thread)) {
      throw new ThreadNotFoundException(id);
    }
    engine.deleted(id);
  }

  /**
   * Loads the thread, applies {@code change} and saves it when it changed anything, reloading and
   * trying again when the engine saved the thread in between.
   */
  private WorkflowThread change(Caller caller, ThreadId id, Predicate<WorkflowThread> change) {
    for (int round = 1; ; round++) {
      WorkflowThread thread = get(caller, id);
      if (!change.test(thread)) {
        return thread;
      }
      try {
        return store.update(thread);
      } catch (ConcurrentThreadUpdateException raced) {
        if (round == MAX_UPDATE_ROUNDS) {
          throw raced;
        }
      }
    }
  }
}
