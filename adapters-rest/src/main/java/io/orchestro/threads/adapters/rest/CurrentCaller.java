package io.orchestro.threads.adapters.rest;

import io.orchestro.threads.domain.Caller;

/**
 * Who the request being handled acts for. The REST adapter does not authenticate: whatever does
 * (the security configuration) provides this; without it every request is {@link
 * Caller#LOCAL_ADMIN}.
 */
@FunctionalInterface
public interface CurrentCaller {

  Caller get();
}
