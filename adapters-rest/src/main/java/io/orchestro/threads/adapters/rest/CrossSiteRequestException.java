package io.orchestro.threads.adapters.rest;

/** A change refused by {@link CrossSiteRequestFilter}: it was sent by a page of another site. */
class CrossSiteRequestException extends RuntimeException {

  CrossSiteRequestException(String method) {
    super(
        "A "
            + method
            + " sent by a page of another site is refused: changes are accepted only from the"
            + " service's own pages and from clients that are not browsers.");
  }
}
