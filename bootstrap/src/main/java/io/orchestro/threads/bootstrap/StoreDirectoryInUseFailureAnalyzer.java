package io.orchestro.threads.bootstrap;

import io.orchestro.threads.adapters.persistence.json.StoreDirectoryInUseException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A second process on the same JSON directory ends with one clear message, not a stack trace. */
class StoreDirectoryInUseFailureAnalyzer
    extends AbstractFailureAnalyzer<StoreDirectoryInUseException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, StoreDirectoryInUseException cause) {
    return new FailureAnalysis(
        cause.getMessage(),
        "Stop the other process, or give this one a directory of its own with"
            + " --orchestro.storage.json.dir=...",
        cause);
  }
}
