package io.orchestro.threads.adapters.rest;

import java.io.IOException;

/**
 * A request body over {@link RequestBodyLimitFilter#MAX_BODY_BYTES}. An {@link IOException} so that
 * the counting input stream can throw it while a body is being read.
 */
class RequestBodyTooLargeException extends IOException {

  RequestBodyTooLargeException(long limit) {
    super("the request body is larger than " + limit + " bytes");
  }
}
