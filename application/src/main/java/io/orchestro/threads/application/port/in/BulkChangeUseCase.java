package io.orchestro.threads.application.port.in;

import io.orchestro.threads.domain.Caller;

public interface BulkChangeUseCase {

  /**
   * Makes one lifecycle call on every thread the command's filter matches (docs/api.md "Bulk
   * changes"): each thread follows the lifecycle table, and one the table refuses is skipped. Only
   * threads the caller sees match.
   */
  BulkResult change(Caller caller, BulkChangeCommand command);

  /**
   * @param matched the threads the filter matched
   * @param changed those the call changed
   * @param skipped those it did not: the table refused the call or said it changes nothing, or the
   *     thread was deleted meanwhile
   */
  record BulkResult(long matched, long changed, long skipped) {}
}
