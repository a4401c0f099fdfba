package io.orchestro.threads.adapters.rest;

import io.orchestro.threads.application.port.in.BatchItemException;
import io.orchestro.threads.application.port.in.BulkChangeUseCase;
import io.orchestro.threads.application.port.in.CancelThreadUseCase;
import io.orchestro.threads.application.port.in.CreateThreadCommand;
import io.orchestro.threads.application.port.in.CreateThreadUseCase;
import io.orchestro.threads.application.port.in.CreateThreadUseCase.CreatedThread;
import io.orchestro.threads.application.port.in.CreateThreadsUseCase;
import io.orchestro.threads.application.port.in.DeleteThreadUseCase;
import io.orchestro.threads.application.port.in.GetThreadUseCase;
import io.orchestro.threads.application.port.in.ListThreadsUseCase;
import io.orchestro.threads.application.port.in.PauseThreadUseCase;
import io.orchestro.threads.application.port.in.ResumeThreadUseCase;
import io.orchestro.threads.application.port.in.RetryThreadUseCase;
import io.orchestro.threads.domain.ListThreadsQuery;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadStatus;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The thread resource of docs/api.md; its event streams live elsewhere. JSON only, both ways: other
 * converters on the classpath (YAML) are not offered, and a body of another type is a 415.
 */
@OpenAPIDefinition(
    info =
        @Info(
            title = "Orchestro Threads",
            version = "1",
            description = "Run, watch, pause, resume, retry and delete workflow threads."),
    // every endpoint takes the same credential: Swagger UI's Authorize sends it with each request
    security = @SecurityRequirement(name = ThreadController.BEARER))
@SecurityScheme(
    name = ThreadController.BEARER,
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    description =
        "An API key, or a JWT when an issuer is configured (README: \"Running it safely\"). On"
            + " this machine with no credential configured (protected mode), none is needed.")
@Tag(name = "Threads", description = "Create, watch, pause, resume, retry and delete threads")
@RestController
@RequestMapping(path = "/api/threads", produces = MediaType.APPLICATION_JSON_VALUE)
class ThreadController {

  /** The name of the API's security scheme in the OpenAPI document. */
  static final String BEARER = "bearer";

  private final CreateThreadUseCase createThread;
  private final CreateThreadsUseCase createThreads;
  private final ListThreadsUseCase listThreads;
  private final GetThreadUseCase getThread;
  private final PauseThreadUseCase pauseThread;
  private final ResumeThreadUseCase resumeThread;
  private final RetryThreadUseCase retryThread;
  private final CancelThreadUseCase cancelThread;
  private final BulkChangeUseCase bulkChange;
  private final DeleteThreadUseCase deleteThread;
  private final CurrentCaller caller;

  ThreadController(
      CreateThreadUseCase createThread,
      CreateThreadsUseCase createThreads,
      ListThreadsUseCase listThreads,
      GetThreadUseCase getThread,
      PauseThreadUseCase pauseThread,
      ResumeThreadUseCase resumeThread,
      RetryThreadUseCase retryThread,
      CancelThreadUseCase cancelThread,
      BulkChangeUseCase bulkChange,
      DeleteThreadUseCase deleteThread,
      CurrentCaller caller) {
    this.createThread = createThread;
    this.createThreads = createThreads;
    this.listThreads = listThreads;
    this.getThread = getThread;
    this.pauseThread = pauseThread;
    this.resumeThread = resumeThread;
    this.retryThread = retryThread;
    this.cancelThread = cancelThread;
    this.bulkChange = bulkChange;
    this.deleteThread = deleteThread;
    this.caller = caller;
  }

  @Operation(
      operationId = "createThread",
      summary = "Create a thread and queue it",
      description =
          "201 with the new thread; 200 with the existing one when its client-chosen thread_id"
              + " was created before with an equal body")
  @ApiResponse(responseCode = "201", description = "Created; Location names the thread")
  @ApiResponse(responseCode = "200", description = "Created before with an equal body")
  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<ThreadResponse> create(@Valid @RequestBody CreateThreadRequest request) {
    CreatedThread result = createThread.create(caller.get(), request.toCommand());
    ThreadResponse body = ThreadResponse.from(result.thread());
    if (!result.created()) {
      return ResponseEntity.ok(body);
    }
    return ResponseEntity.created(URI.create("/api/threads/" + body.threadId())).body(body);
  }

  @Operation(
      operationId = "createThreads",
      summary = "Create many threads at once, all or nothing",
      description =
          "Each item as for a single create; 200 with the threads in the order given. If any item"
              + " is invalid nothing is created, and the problem's index and pointer name it.")
  @ApiResponse(responseCode = "200", description = "All created (or given back)")
  @PostMapping(path = "/batch", consumes = MediaType.APPLICATION_JSON_VALUE)
  CreatedThreadsResponse createAll(@Valid @RequestBody CreateThreadsRequest request) {
    List<CreateThreadCommand> commands = new ArrayList<>(request.threads().size());
    for (CreateThreadRequest item : request.threads()) {
      try {
        commands.add(item.toCommand());
      } catch (IllegalArgumentException invalid) {
        throw new BatchItemException(commands.size(), invalid);
      }
    }
    return CreatedThreadsResponse.from(createThreads.createAll(caller.get(), commands));
  }

  @Operation(
      operationId = "listThreads",
      summary = "List threads, newest first unless sort and order say otherwise")
  @GetMapping
  ThreadPageResponse list(
      @Parameter(description = "Only threads in these statuses (repeatable, lower case)")
          @RequestParam(name = "status", required = false)
          List<String> statuses,
      @Parameter(description = "Only threads of this workflow type")
          @RequestParam(name = "workflow_type", required = false)
          String workflowType,
      @Parameter(
              description =
                  "Only threads whose title or prompt contains this text, ignoring case (at most "
                      + ListThreadsQuery.MAX_TEXT_LENGTH
                      + " characters)")
          @RequestParam(name = "q", required = false)
          String text,
      @Parameter(description = "Only threads created at or after this time (ISO-8601)")
          @RequestParam(name = "created_after", required = false)
          String createdAfter,
      @Parameter(description = "Only threads created before this time (ISO-8601)")
          @RequestParam(name = "created_before", required = false)
          String createdBefore,
      @Parameter(
              description = "The time the page is ordered by",
              schema = @Schema(allowableValues = {"created_at", "last_updated"}))
          @RequestParam(name = "sort", defaultValue = "created_at")
          String sort,
      @Parameter(
              description = "desc: newest first; asc: oldest first",
              schema = @Schema(allowableValues = {"desc", "asc"}))
          @RequestParam(name = "order", defaultValue = "desc")
          String order,
      @Parameter(description = "Page number, from 0") @RequestParam(defaultValue = "0") int page,
      @Parameter(description = "Page size, 1 to " + ListThreadsQuery.MAX_SIZE)
          @RequestParam(defaultValue = "" + ListThreadsQuery.DEFAULT_SIZE)
          int size) {
    // ListThreadsQuery rejects a page, size or text out of range (400 through the exception
    // handler), and so do the parsers below for a time, sort or order they do not know
    var query =
        new ListThreadsQuery(
            parseStatuses(statuses),
            blankAsNull(workflowType),
            text,
            ApiTime.parse("created_after", createdAfter),
            ApiTime.parse("created_before", createdBefore),
            ListThreadsQuery.SortBy.fromWireName(sort),
            parseAscending(order),
            page,
            size);
    return ThreadPageResponse.from(listThreads.list(caller.get(), query));
  }

  @Operation(
      operationId = "countThreads",
      summary = "Count threads per status",
      description =
          "The list's filters other than status, sort, order, page and size; every status is"
              + " named")
  @GetMapping("/counts")
  ThreadCountsResponse counts(
      @Parameter(description = "Only threads of this workflow type")
          @RequestParam(name = "workflow_type", required = false)
          String workflowType,
      @Parameter(description = "Only threads whose title or prompt contains this text")
          @RequestParam(name = "q", required = false)
          String text,
      @Parameter(description = "Only threads created at or after this time (ISO-8601)")
          @RequestParam(name = "created_after", required = false)
          String createdAfter,
      @Parameter(description = "Only threads created before this time (ISO-8601)")
          @RequestParam(name = "created_before", required = false)
          String createdBefore) {
    var filter =
        new ListThreadsQuery(
            Set.of(),
            blankAsNull(workflowType),
            text,
            ApiTime.parse("created_after", createdAfter),
            ApiTime.parse("created_before", createdBefore),
            null,
            false,
            0,
            1);
    return ThreadCountsResponse.from(listThreads.count(caller.get(), filter));
  }

  @Operation(operationId = "getThread", summary = "Get a thread with its steps")
  @GetMapping("/{id}")
  ThreadResponse get(@PathVariable UUID id) {
    return ThreadResponse.from(getThread.get(caller.get(), new ThreadId(id)));
  }

  @Operation(
      operationId = "deleteThread",
      summary = "Delete a thread; a running one is stopped first")
  @ApiResponse(responseCode = "204", description = "Deleted")
  @DeleteMapping("/{id}")
  ResponseEntity<Void> delete(@PathVariable UUID id) {
    deleteThread.delete(caller.get(), new ThreadId(id));
    return ResponseEntity.noContent().build();
  }

  @Operation(operationId = "pauseThread", summary = "Pause a thread: no further step starts")
  @PostMapping("/{id}/pause")
  ThreadResponse pause(@PathVariable UUID id) {
    return ThreadResponse.from(pauseThread.pause(caller.get(), new ThreadId(id)));
  }

  @Operation(operationId = "resumeThread", summary = "Resume a paused thread from its next step")
  @PostMapping("/{id}/resume")
  ThreadResponse resume(@PathVariable UUID id) {
    return ThreadResponse.from(resumeThread.resume(caller.get(), new ThreadId(id)));
  }

  @Operation(operationId = "retryThread", summary = "Re-run a failed thread from its failed step")
  @PostMapping("/{id}/retry")
  ThreadResponse retry(@PathVariable UUID id) {
    return ThreadResponse.from(retryThread.retry(caller.get(), new ThreadId(id)));
  }

  @Operation(
      operationId = "cancelThread",
      summary = "Stop a thread and keep it",
      description =
          "The thread fails with error_message \"cancelled\"; the agent of a step in flight is"
              + " cancelled and that step fails with the same error, so a retry runs it again."
              + " 409 for a thread that has completed or failed already.")
  @PostMapping("/{id}/cancel")
  ThreadResponse cancel(@PathVariable UUID id) {
    return ThreadResponse.from(cancelThread.cancel(caller.get(), new ThreadId(id)));
  }

  /** An empty filter parameter (an HTML form's "any") is no filter. */
  private static String blankAsNull(String parameter) {
    return parameter == null || parameter.isBlank() ? null : parameter;
  }

  private static boolean parseAscending(String order) {
    return switch (order) {
      case "asc" -> true;
      case "desc" -> false;
      default ->
          throw new IllegalArgumentException("order must be asc or desc, not '" + order + "'");
    };
  }

  @Operation(
      operationId = "changeThreads",
      summary = "Pause, resume, retry, cancel or delete every thread a filter matches",
      description =
          "Each matching thread follows the lifecycle table as if the call were made on it alone,"
              + " with its own event; a thread the table refuses (or that the call would not"
              + " change) is skipped, never an error. Threads created after the call began are"
              + " left alone.")
  @PostMapping(path = "/bulk", consumes = MediaType.APPLICATION_JSON_VALUE)
  BulkChangeResponse changeAll(@Valid @RequestBody BulkChangeRequest request) {
    return BulkChangeResponse.from(bulkChange.change(caller.get(), request.toCommand()));
  }

  /**
   * The wire names, exactly as docs/api.md spells them; an unknown one is a client error rather
   * than a filter that silently matches nothing. Empty values (an HTML form's "any") are ignored.
   */
  private static Set<ThreadStatus> parseStatuses(List<String> names) {
    Set<ThreadStatus> statuses = EnumSet.noneOf(ThreadStatus.class);
    if (names != null) {
      for (String name : names) {
        if (!name.isBlank()) {
          statuses.add(ThreadStatus.fromWireName(name));
        }
      }
    }
    return statuses;
  }
}
