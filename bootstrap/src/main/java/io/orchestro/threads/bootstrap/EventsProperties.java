package io.orchestro.threads.bootstrap;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code orchestro.events.*}: the event log and the event streams.
 *
 * @param heartbeat how long an event stream may stay silent before the server sends a comment line,
 *     which keeps proxies from closing idle streams and tells the server a client has left
 * @param clientBuffer events waiting for one slow stream client at most; when it fills up, the
 *     stream is closed and the client resumes with {@code Last-Event-ID}
 * @param pollInterval how often this node reads the event log for its watchers without being woken:
 *     the delay of events committed by other nodes on a shared database
 * @param numberingInterval how often this node looks for committed events that nobody numbered
 *     without being woken: the safety net for events whose writer stopped between its commit and
 *     their numbering (a crash). Every node numbers its own events right after each commit, so this
 *     look, a read that is also a transaction, finds nothing in the common case
 * @param resumeWindow how long events are kept for readers to resume after them ({@code
 *     Last-Event-ID}) and for threads' histories; older ones are pruned by the retention loop, and
 *     a resume from before the window is answered 410. Unset (the default): every event is kept
 * @param progressInterval the least time between two {@code step_progress} events of one step
 */
@ConfigurationProperties("orchestro.events")
public record EventsProperties(
    @DefaultValue("15s") Duration heartbeat,
    @DefaultValue("1000") int clientBuffer,
    @DefaultValue("100ms") Duration pollInterval,
    @DefaultValue("5s") Duration numberingInterval,
    Duration resumeWindow,
    @DefaultValue("250ms") Duration progressInterval) {

  public EventsProperties {
    RetentionProperties.requirePositive("orchestro.events.resume-window", resumeWindow);
  }
}
