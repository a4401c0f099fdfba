package io.orchestro.threads.adapters.rest;

import io.orchestro.threads.application.port.in.EventSubscription;
import io.orchestro.threads.application.port.in.WatchEventsUseCase;
import io.orchestro.threads.application.port.in.WatcherTooSlowException;
import io.orchestro.threads.domain.EventFilter;
import io.orchestro.threads.domain.EventJson;
import io.orchestro.threads.domain.LoggedEvent;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.ThreadId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.ObjectMapper;

/**
 * The event streams of docs/api.md "Events", as Server-Sent Events: the event name is the type, the
 * id is the event's number, the data is the event as JSON. A client that reconnects with {@code
 * Last-Event-ID} (browsers' EventSource does so on its own) gets every event after that one, then
 * live ones. Idle streams get a comment line every heartbeat interval. A client that does not read
 * fast enough to keep its buffer from filling up has its stream closed; it resumes with {@code
 * Last-Event-ID} like any other reconnecting client.
 */
@Tag(name = "Events", description = "Every change of every thread, as it happens")
@RestController
class EventController {

  private static final Log LOG = LogFactory.getLog(EventController.class);
  private static final String LAST_EVENT_ID = "Last-Event-ID";
  private static final int HISTORY_PAGE = 500;

  private final WatchEventsUseCase events;
  private final EventStreamSettings settings;
  private final ObjectMapper json;
  private final CurrentCaller caller;

  EventController(
      WatchEventsUseCase events,
      EventStreamSettings settings,
      ObjectMapper json,
      CurrentCaller caller) {
    this.events = events;
    this.settings = settings;
    this.json = json;
    this.caller = caller;
  }

  @Operation(
      operationId = "streamThreadEvents",
      summary = "A thread's events: its history, then live (Server-Sent Events)",
      description =
          "Event name: the type; id: the event's number; data: the event as JSON. With"
              + " Last-Event-ID, only the events after that one. A deleted thread's open stream"
              + " ends its history with thread_deleted and stays open (the id may be used again);"
              + " a new request for it is a 404, as for GET /api/threads/{id}.")
  @ApiResponse(
      responseCode = "200",
      description = "The stream",
      content =
          @Content(
              mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
              schema = @Schema(implementation = EventResponse.class)))
  // "*/*" too: a client that accepts anything (curl, say) gets the stream, not the JSON array,
  // which only a client asking for JSON gets
  @GetMapping(
      path = "/api/threads/{id}/events",
      produces = {MediaType.TEXT_EVENT_STREAM_VALUE, MediaType.ALL_VALUE})
  SseEmitter streamThread(
      @PathVariable UUID id,
      @Parameter(description = "The last event number the client has")
          @RequestHeader(name = LAST_EVENT_ID, required = false)
          String lastEventId) {
    long after = lastEventId == null ? 0 : parseEventNumber(lastEventId);
    return stream(
        events.watchThread(caller.get(), new ThreadId(id), after, settings.clientBuffer()));
  }

  @Operation(
      operationId = "listThreadEvents",
      summary = "A thread's events so far, as a JSON array (Accept: application/json)")
  @ApiResponse(
      responseCode = "200",
      description = "The events, oldest first",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              array = @ArraySchema(schema = @Schema(implementation = EventResponse.class))))
  @GetMapping(path = "/api/threads/{id}/events", produces = MediaType.APPLICATION_JSON_VALUE)
  List<Map<String, Object>> threadHistory(
      @PathVariable UUID id,
      @Parameter(description = "Only the events after this number")
          @RequestHeader(name = LAST_EVENT_ID, required = false)
          String lastEventId) {
    long after = lastEventId == null ? 0 : parseEventNumber(lastEventId);
    List<Map<String, Object>> history = new ArrayList<>();
    List<LoggedEvent> page;
    do {
      page = events.threadHistory(caller.get(), new ThreadId(id), after, HISTORY_PAGE);
      page.forEach(event -> history.add(EventJson.of(event)));
      after = page.isEmpty() ? after : page.get(page.size() - 1).seq();
    } while (page.size() == HISTORY_PAGE);
    return history;
  }

  @Operation(
      operationId = "streamEvents",
      summary = "Every thread's events, live (Server-Sent Events)",
      description =
          "Only events committed from now on, unless Last-Event-ID names the last event the"
              + " client has: then every event after it first.")
  @ApiResponse(
      responseCode = "200",
      description = "The stream",
      content =
          @Content(
              mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
              schema = @Schema(implementation = EventResponse.class)))
  @GetMapping(path = "/api/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter streamAll(
      @Parameter(description = "Only this thread's events")
          @RequestParam(name = "thread_id", required = false)
          UUID threadId,
      @Parameter(description = "Only events of these types (repeatable)")
          @RequestParam(name = "type", required = false)
          List<String> types,
      @Parameter(description = "The last event number the client has")
          @RequestHeader(name = LAST_EVENT_ID, required = false)
          String lastEventId) {
    EventFilter filter =
        new EventFilter(threadId == null ? null : new ThreadId(threadId), parseTypes(types));
    Long after = lastEventId == null ? null : parseEventNumber(lastEventId);
    return stream(events.watch(caller.get(), filter, after, settings.clientBuffer()));
  }

  /**
   * Hands the subscription to a sender task of its own. The emitter never times out: the stream
   * lasts until the client leaves (noticed at the latest when a heartbeat cannot be written), the
   * client falls behind, or the application stops.
   */
  private SseEmitter stream(EventSubscription subscription) {
    SseEmitter emitter = new SseEmitter(0L);
    emitter.onCompletion(subscription::close);
    emitter.onError(failure -> subscription.close());
    settings.senders().execute(() -> send(subscription, emitter));
    return emitter;
  }

  private void send(EventSubscription subscription, SseEmitter emitter) {
    try (subscription) {
      // a comment first, so that the client sees the stream open before the first event
      emitter.send(SseEmitter.event().comment("stream open"));
      while (true) {
        LoggedEvent event = subscription.next(settings.heartbeat());
        if (event == null) {
          emitter.send(SseEmitter.event().comment("heartbeat"));
        } else {
          emitter.send(
              SseEmitter.event()
                  .id(Long.toString(event.seq()))
                  .name(event.event().type().wireName())
                  .data(json.writeValueAsString(EventJson.of(event))));
        }
      }
    } catch (WatcherTooSlowException tooSlow) {
      LOG.info("Closing an event stream whose client fell behind: " + tooSlow.getMessage());
      emitter.complete();
    } catch (IOException | IllegalStateException clientGone) {
      // the client left, or the stream was completed meanwhile: nothing to tell anyone
    } catch (InterruptedException stopping) {
      Thread.currentThread().interrupt();
      emitter.complete();
    } catch (RuntimeException failed) {
      LOG.warn("An event stream failed", failed);
      emitter.completeWithError(failed);
    }
  }

  private static long parseEventNumber(String text) {
    try {
      long number = Long.parseLong(text.strip());
      if (number >= 0) {
        return number;
      }
    } catch (NumberFormatException notANumber) {
      // reported below
    }
    throw new IllegalArgumentException(
        LAST_EVENT_ID + " must be an event number (0 or more), not '" + text + "'");
  }

  /**
   * The type names of docs/api.md "Events"; an unknown one is a 400, not a filter that silently
   * matches nothing.
   */
  private static Set<ThreadEventType> parseTypes(List<String> names) {
    Set<ThreadEventType> types = EnumSet.noneOf(ThreadEventType.class);
    if (names != null) {
      for (String name : names) {
        for (String part : name.split(",")) {
          if (!part.isBlank()) {
            types.add(ThreadEventType.fromWireName(part.strip()));
          }
        }
      }
    }
    return types;
  }
}
