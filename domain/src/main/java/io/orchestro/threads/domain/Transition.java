package io.orchestro.threads.domain;

/**
 * Every way a thread's status can be asked to change: by a person (pause, resume, retry, cancel) or
 * by the engine.
 */
public enum Transition {
  START,
  PAUSE,
  RESUME,
  RETRY,
  CANCEL,
  COMPLETE,
  FAIL
}
