package io.orchestro.threads.application.engine;

import io.orchestro.threads.application.agent.Agents;
import io.orchestro.threads.application.port.out.Agent;
import io.orchestro.threads.application.port.out.AttemptCutShortException;
import io.orchestro.threads.application.port.out.AttemptFailedException;
import io.orchestro.threads.application.port.out.AttemptParkedException;
import io.orchestro.threads.application.port.out.Cancellation;
import io.orchestro.threads.application.port.out.EngineObserver;
import io.orchestro.threads.application.port.out.Limit;
import io.orchestro.threads.application.port.out.StepContext;
import io.orchestro.threads.domain.JsonValues;
import io.orchestro.threads.domain.StepDefinition;
import io.orchestro.threads.domain.StepStatus;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadStep;
import io.orchestro.threads.domain.WorkflowThread;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one attempt at a started step: calls its agent as a task of its own on the engine's
 * executor, waits for it within the step's timeout, and says how it went (its output, its error, a
 * park, a cut short, or the stop that ended it). Running the agent apart lets the worker give up on
 * it (a timeout, a delete) even when the agent does not stop.
 */
final class StepAttempts {

  // one logger name for all of the engine's lines, whichever of its parts writes them
  private static final Logger LOG = System.getLogger(ThreadEngine.class.getName());

  private final Agents agents;
  private final Executor executor;
  private final Clock clock;
  private final EngineSettings settings;
  private final EngineObserver observer;
  private final ThreadLimits limits;
  private final StepProgressPublisher progress;

  StepAttempts(
      Agents agents,
      Executor executor,
      Clock clock,
      EngineSettings settings,
      EngineObserver observer,
      ThreadLimits limits,
      StepProgressPublisher progress) {
    this.agents = agents;
    this.executor = executor;
    this.clock = clock;
    this.settings = settings;
    this.observer = observer;
    this.limits = limits;
    this.progress = progress;
  }

  /**
   * Runs an attempt at {@code step}, the running step of {@code thread}, on behalf of the worker
   * that {@code stop} stops.
   */
  AttemptResult run(
      WorkflowThread thread, ThreadStep step, StepDefinition definition, WorkerStop stop) {
    ThreadId id = thread.id();
    String workflowType = thread.workflowType();
    Agent agent = agents.find(definition.agent()).orElse(null);
    if (agent == null) {
      observer.stepStarted(workflowType, definition.agent());
      observer.stepFailed(workflowType, definition.agent(), Duration.ZERO);
      return AttemptResult.failed("no agent named '" + definition.agent() + "'", true);
    }
    Cancellation attemptCancellation = new Cancellation();
    CompletableFuture<Map<String, Object>> future = new CompletableFuture<>();
    StepContext context =
        new StepContext(
            id,
            step.name(),
            definition.config(),
            thread.input(),
            outputsBefore(thread, step.name()),
            step.attempts(),
            attemptCancellation,
            note -> progress.report(id, step.name(), step.attempts(), note),
            step.dueAt());
    stop.attach(attemptCancellation, future, agent.stopsOnPause());
    if (stop.isStopped()) {
      return AttemptResult.stoppedBy(stop.reason());
    }
    Duration timeLeft = timeLeft(step, definition);
    if (timeLeft != null && (timeLeft.isNegative() || timeLeft.isZero())) {
      // a parked attempt whose time ran out while it waited
      return AttemptResult.failed(timedOut(definition), true);
    }
    observer.stepStarted(workflowType, definition.agent());
    long startedNanos = System.nanoTime();
    executor.execute(
        () -> {
          // the agent's own log lines are about this thread too
          try (EngineObserver.Scope about = observer.workingOn(id)) {
            future.complete(agent.run(context));
          } catch (Throwable failure) {
            future.completeExceptionally(failure);
          }
        });
    AttemptResult result =
        withinLimits(
            thread,
            awaitAttempt(thread, future, definition, timeLeft, attemptCancellation, stop),
            step.name());
    // the attempt's last progress is published before its result is recorded
    progress.settle(id, step.name());
    Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
    // a cut short attempt neither completed nor failed
    if (result.stopped() == null && result.cutShort() == null) {
      if (result.error() == null) {
        observer.stepCompleted(workflowType, definition.agent(), took);
      } else {
        observer.stepFailed(workflowType, definition.agent(), took);
      }
    }
    return result;
  }

  /**
   * What is left of the step's timeout for this call of its agent: the timeout counts from the
   * attempt's start, the time it waited parked included. Null when the step has no timeout.
   */
  private Duration timeLeft(ThreadStep step, StepDefinition definition) {
    if (definition.timeoutMillis() == null) {
      return null;
    }
    Duration timeout = Duration.ofMillis(definition.timeoutMillis());
    if (step.dueAt() == null || step.startedAt() == null) {
      return timeout;
    }
    return Duration.between(clock.instant(), step.startedAt().plus(timeout));
  }

  private static String timedOut(StepDefinition definition) {
    return "timed out after " + definition.timeoutMillis() + " ms";
  }

  private AttemptResult awaitAttempt(
      WorkflowThread thread,
      CompletableFuture<Map<String, Object>> future,
      StepDefinition definition,
      Duration timeLeft,
      Cancellation attemptCancellation,
      WorkerStop stop) {
    try {
      Map<String, Object> output =
          timeLeft == null ? future.get() : future.get(timeLeft.toMillis(), TimeUnit.MILLISECONDS);
      return AttemptResult.succeeded(output == null ? Map.of() : output);
    } catch (TimeoutException tooSlow) {
      attemptCancellation.cancel();
      future.cancel(true);
      return stop.isStopped()
          ? AttemptResult.stoppedBy(stop.reason())
          : AttemptResult.failed(timedOut(definition), true);
    } catch (CancellationException | InterruptedException stoppedMeanwhile) {
      if (!stop.isStopped() && stop.pauseGaveUp(attemptCancellation)) {
        return AttemptResult.cutShortByPause();
      }
      return AttemptResult.stoppedBy(stop.isStopped() ? stop.reason() : StopReason.SHUTDOWN);
    } catch (ExecutionException failed) {
      if (stop.isStopped()) {
        return AttemptResult.stoppedBy(stop.reason());
      }
      if (stop.pauseGaveUp(attemptCancellation)) {
        // however the agent ended once told to stop, the pause gave the attempt up
        return AttemptResult.cutShortByPause();
      }
      Throwable cause = failed.getCause();
      if (cause instanceof AttemptParkedException waits) {
        return AttemptResult.parked(parkingTime(thread, waits.until(), definition));
      }
      if (cause instanceof AttemptCutShortException lost) {
        return AttemptResult.cutShortBecause(lost.getMessage());
      }
      String message = cause.getMessage() != null ? cause.getMessage() : cause.toString();
      if (cause instanceof AttemptFailedException refused) {
        if (refused.rateLimited()) {
          Instant holdUntil = rateLimitedUntil(thread, refused.retryAfter().orElse(null));
          if (holdUntil != null) {
            return heldBackByRateLimit(thread, refused, holdUntil, definition);
          }
        }
        if (refused.rateLimited() && refused.retryAfter().isPresent()) {
          holdBackAgent(definition.agent(), refused.retryAfter().get());
        }
        return AttemptResult.failed(
            message, refused.retryable(), refused.retryAfter().orElse(null));
      }
      return AttemptResult.failed(message, true);
    } finally {
      stop.detach();
    }
  }

  /**
   * Fails an attempt whose output is too large to keep: over the step limit, or taking the thread's
   * stored size over its limit. Not retryable: another attempt would mostly make the same output
   * again.
   */
  private AttemptResult withinLimits(WorkflowThread thread, AttemptResult result, String stepName) {
    if (result.output() == null) {
      return result;
    }
    long size = JsonValues.encodedSize(result.output());
    if (size > settings.maxStepOutputBytes()) {
      return AttemptResult.failed(
          "the step's output is "
              + size
              + " bytes, over the limit of "
              + settings.maxStepOutputBytes()
              + " (orchestro.engine.max-step-output)",
          false);
    }
    long threadSize = size + JsonValues.encodedSize(thread.input());
    for (ThreadStep other : thread.steps()) {
      if (!other.name().equals(stepName) && other.output() != null) {
        threadSize += JsonValues.encodedSize(other.output());
      }
    }
    if (threadSize > settings.maxThreadBytes()) {
      return AttemptResult.failed(
          "with this step's output the thread would take "
              + threadSize
              + " bytes, over the limit of "
              + settings.maxThreadBytes()
              + " (orchestro.engine.max-thread-size)",
          false);
    }
    return result;
  }

  /**
   * Until when a service's 429 holds the attempt back: what its {@code Retry-After} asked for, or,
   * without one, half of what the attempt has waited so far (from 1 s to 1 min), so that the waits
   * grow while the service keeps refusing.
   *
   * @return null once the attempt has been held back for {@link
   *     ThreadEngine#RATE_LIMITED_PATIENCE}: the 429 then counts as a failed attempt, so a service
   *     that never stops refusing fails the thread as the step's retry policy says
   */
  private Instant rateLimitedUntil(WorkflowThread thread, Duration retryAfter) {
    ThreadStep step = thread.runningStep().orElseThrow();
    Instant now = clock.instant();
    Duration waited =
        step.startedAt() == null ? Duration.ZERO : Duration.between(step.startedAt(), now);
    if (waited.compareTo(ThreadEngine.RATE_LIMITED_PATIENCE) >= 0) {
      return null;
    }
    if (retryAfter != null && !retryAfter.isNegative() && !retryAfter.isZero()) {
      return now.plus(retryAfter);
    }
    Duration half = waited.dividedBy(2);
    Duration wait =
        half.compareTo(Duration.ofSeconds(1)) < 0
            ? Duration.ofSeconds(1)
            : half.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : half;
    return now.plus(wait);
  }

  /**
   * The same attempt waits, parked, until {@code holdUntil}, and so does every attempt of the agent
   * (when it has a limit): not a failed attempt. The step's progress says why it waits.
   */
  private AttemptResult heldBackByRateLimit(
      WorkflowThread thread,
      AttemptFailedException refused,
      Instant holdUntil,
      StepDefinition definition) {
    ThreadStep step = thread.runningStep().orElseThrow();
    holdBackAgent(definition.agent(), Duration.between(clock.instant(), holdUntil));
    String why = "rate limited, waiting until " + holdUntil + ": " + refused.getMessage();
    progress.report(thread.id(), step.name(), step.attempts(), why);
    LOG.log(
        Level.INFO,
        "thread {0} step {1}: attempt {2} {3}",
        thread.id(),
        step.name(),
        step.attempts(),
        why);
    return AttemptResult.parked(parkingTime(thread, holdUntil, definition));
  }

  /** The time asked for, or the end of the step's timeout when that comes first. */
  private static Instant parkingTime(
      WorkflowThread thread, Instant asked, StepDefinition definition) {
    ThreadStep step = thread.runningStep().orElseThrow();
    if (definition.timeoutMillis() == null || step.startedAt() == null) {
      return asked;
    }
    Instant timeoutEnds = step.startedAt().plusMillis(definition.timeoutMillis());
    return timeoutEnds.isBefore(asked) ? timeoutEnds : asked;
  }

  private static Map<String, Map<String, Object>> outputsBefore(
      WorkflowThread thread, String stepName) {
    Map<String, Map<String, Object>> outputs = new LinkedHashMap<>();
    for (ThreadStep earlier : thread.steps()) {
      if (earlier.name().equals(stepName)) {
        break;
      }
      if (earlier.status() == StepStatus.COMPLETED && earlier.output() != null) {
        outputs.put(earlier.name(), earlier.output());
      }
    }
    return outputs;
  }

  /**
   * The agent's service refused for going over its rate and asked for a wait: every attempt of the
   * agent, on every node, waits as long, when the agent has a limit.
   */
  private void holdBackAgent(String agent, Duration wait) {
    Limit limit = limits.agents().get(agent);
    if (limit == null) {
      return;
    }
    try {
      limits.leases().holdBack(limit, clock.instant().plus(wait));
    } catch (RuntimeException storeTrouble) {
      LOG.log(Level.WARNING, "holding back agent " + agent + " failed", storeTrouble);
    }
  }
}
