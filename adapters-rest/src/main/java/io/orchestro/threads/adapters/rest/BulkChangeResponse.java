package io.orchestro.threads.adapters.rest;

import io.orchestro.threads.application.port.in.BulkChangeUseCase.BulkResult;

/** What {@code POST /api/threads/bulk} did: matched = changed + skipped. */
record BulkChangeResponse(long matched, long changed, long skipped) {

  static BulkChangeResponse from(BulkResult result) {
    return new BulkChangeResponse(result.matched(), result.changed(), result.skipped());
  }
}
