package io.orchestro.threads.adapters.persistence.json;

import io.orchestro.threads.domain.ThreadEvent;

/** An event with the number the event log gives it: numbers only grow, in the order of writing. */
record LoggedEvent(long seq, ThreadEvent event) {}
