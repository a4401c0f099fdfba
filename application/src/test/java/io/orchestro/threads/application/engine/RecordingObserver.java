package io.orchestro.threads.application.engine;

import io.orchestro.threads.application.port.out.EngineObserver;
import io.orchestro.threads.domain.ThreadId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what the engine reports, for tests to look at. */
final class RecordingObserver implements EngineObserver {

  record Claimed(String workflowType, Duration waited) {}

  /** What an attempt came to, as reported: started, then completed or failed (or neither). */
  enum Report {
    STARTED,
    COMPLETED,
    FAILED
  }

  record StepReport(Report report, String workflowType, String agent) {}

  record LimitWait(String limit, Duration waited) {}

  private final List<Claimed> claimed = new CopyOnWriteArrayList<>();
  private final List<StepReport> steps = new CopyOnWriteArrayList<>();
  private final List<LimitWait> limitWaits = new CopyOnWriteArrayList<>();

  List<LimitWait> limitWaits() {
    return List.copyOf(limitWaits);
  }

  @Override
  public void limitWaited(String limit, Duration waited) {
    limitWaits.add(new LimitWait(limit, waited));
  }

  List<Claimed> claimed() {
    return List.copyOf(claimed);
  }

  List<StepReport> steps() {
    return List.copyOf(steps);
  }

  long count(Report report) {
    return steps.stream().filter(step -> step.report() == report).count();
  }

  @Override
  public void claimed(String workflowType, Duration waited) {
    claimed.add(new Claimed(workflowType, waited));
  }

  @Override
  public void stepStarted(String workflowType, String agent) {
    steps.add(new StepReport(Report.STARTED, workflowType, agent));
  }

  @Override
  public void stepCompleted(String workflowType, String agent, Duration took) {
    steps.add(new StepReport(Report.COMPLETED, workflowType, agent));
  }

  @Override
  public void stepFailed(String workflowType, String agent, Duration took) {
    steps.add(new StepReport(Report.FAILED, workflowType, agent));
  }

  @Override
  public Scope workingOn(ThreadId id) {
    return Scope.NONE;
  }
}
