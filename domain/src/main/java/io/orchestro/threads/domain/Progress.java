package io.orchestro.threads.domain;

/**
 * How far a thread has come, derived from its steps.
 *
 * @param currentStep the step executing now; when none executes, the next step to run; null once
 *     every step has completed
 */
public record Progress(int completed, int total, String currentStep, int percent) {

  public Progress {
    if (total < 1 || completed < 0 || completed > total) {
      throw new IllegalArgumentException("progress " + completed + "/" + total + " is impossible");
    }
    if (percent != 100 * completed / total) {
      throw new IllegalArgumentException("percent must be floor(100 * completed / total)");
    }
  }

  public static Progress of(int completed, int total, String currentStep) {
    return new Progress(completed, total, currentStep, 100 * completed / total);
  }
}
