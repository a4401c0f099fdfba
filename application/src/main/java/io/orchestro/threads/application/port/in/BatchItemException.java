package io.orchestro.threads.application.port.in;

/**
 * One item of a batch could not be created, so none was.
 *
 * @see CreateThreadsUseCase
 */
public final class BatchItemException extends RuntimeException {

  private final int index;

  /**
   * @param index the item's place in the batch, from 0
   * @param reason what a single create of that item would have thrown
   */
  public BatchItemException(int index, RuntimeException reason) {
    super("threads[" + index + "]: " + reason.getMessage(), reason);
    this.index = index;
  }

  public int index() {
    return index;
  }

  /** What a single create of the item would have thrown. */
  public RuntimeException reason() {
    return (RuntimeException) getCause();
  }
}
