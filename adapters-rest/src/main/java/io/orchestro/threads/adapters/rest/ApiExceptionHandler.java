package io.orchestro.threads.adapters.rest;

import io.orchestro.threads.application.port.in.BatchItemException;
import io.orchestro.threads.application.port.in.EventsPrunedException;
import io.orchestro.threads.application.port.in.ScheduleNotFoundException;
import io.orchestro.threads.application.port.in.TaskConflictException;
import io.orchestro.threads.application.port.in.TaskNotFoundException;
import io.orchestro.threads.application.port.in.ThreadIdConflictException;
import io.orchestro.threads.application.port.in.ThreadNotFoundException;
import io.orchestro.threads.application.port.in.UnknownWorkflowTypeException;
import io.orchestro.threads.application.port.in.WebhooksUseCase.WebhookNotFoundException;
import io.orchestro.threads.application.port.in.WorkflowNotFoundException;
import io.orchestro.threads.application.port.out.ConcurrentThreadUpdateException;
import io.orchestro.threads.application.port.out.DuplicateWorkflowVersionException;
import io.orchestro.threads.domain.IllegalTransitionException;
import java.math.BigInteger;
import java.net.URI;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.PropertyBindingException;

/**
 * Turns every error into an RFC 9457 problem ({@code application/problem+json}) with {@code type},
 * {@code title}, {@code status} and {@code detail} (docs/api.md "Errors"). Spring MVC's own errors
 * (405, 406, 415, unknown paths, unreadable bodies, bad parameters) are handled by the base class,
 * which already answers with problems; the overrides below only write a more useful {@code detail}.
 *
 * <p>Being a {@link ResponseEntityExceptionHandler}, this bean makes Spring Boot's own one (from
 * {@code spring.mvc.problemdetails.enabled}) back off.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

  /** Every controller's UUID parameters take only the canonical form (see StrictUuidEditor). */
  @InitBinder
  void strictUuids(WebDataBinder binder) {
    binder.registerCustomEditor(UUID.class, new StrictUuidEditor());
  }

  static final URI BLANK_TYPE = URI.create("about:blank");

  private static final String POSTGRES_DISK_FULL = "53100";
  private static final int DISK_FULL_RETRY_AFTER_SECONDS = 30;

  @ExceptionHandler({
    ThreadNotFoundException.class,
    WorkflowNotFoundException.class,
    WebhookNotFoundException.class,
    TaskNotFoundException.class,
    ScheduleNotFoundException.class
  })
  ProblemDetail notFound(RuntimeException ex) {
    return problem(HttpStatus.NOT_FOUND, ex.getMessage());
  }

  /**
   * A lifecycle call the thread's status does not allow, a re-create with a different body, or a
   * race lost too often to concurrent writers: the client may look again and retry.
   */
  @ExceptionHandler({
    IllegalTransitionException.class,
    ThreadIdConflictException.class,
    ConcurrentThreadUpdateException.class,
    DuplicateWorkflowVersionException.class,
    TaskConflictException.class
  })
  ProblemDetail conflict(RuntimeException ex) {
    return problem(HttpStatus.CONFLICT, ex.getMessage());
  }

  /**
   * An unknown workflow type in a create request, and every argument the core rejects: the domain
   * and the command records check their arguments in their constructors and throw {@link
   * IllegalArgumentException} (an invalid workflow definition among them), always because of what
   * the client sent.
   */
  @ExceptionHandler({UnknownWorkflowTypeException.class, IllegalArgumentException.class})
  ProblemDetail badRequest(RuntimeException ex) {
    return problem(HttpStatus.BAD_REQUEST, ex.getMessage());
  }

  /**
   * One item of a batch create: answered as that item's single create would be (400, or 409 for a
   * conflicting thread id), with the item's {@code index} and the JSON {@code pointer} to it.
   */
  @ExceptionHandler(BatchItemException.class)
  ProblemDetail batchItem(BatchItemException ex) {
    HttpStatus status =
        ex.reason() instanceof ThreadIdConflictException
            ? HttpStatus.CONFLICT
            : HttpStatus.BAD_REQUEST;
    return withItem(problem(status, ex.getMessage()), ex.index(), "");
  }

  /**
   * A resume ({@code Last-Event-ID}) from before the events the log still keeps: a 410 rather than
   * a stream with a silent gap. The client reloads the current state and watches without it.
   */
  @ExceptionHandler(EventsPrunedException.class)
  ProblemDetail eventsPruned(EventsPrunedException ex) {
    return problem(HttpStatus.GONE, ex.getMessage());
  }

  /** Thrown by {@link CrossSiteRequestFilter}: a change sent by a page of another site. */
  @ExceptionHandler(CrossSiteRequestException.class)
  ProblemDetail crossSite(CrossSiteRequestException ex) {
    return problem(HttpStatus.FORBIDDEN, ex.getMessage());
  }

  /** Thrown by {@link RequestBodyLimitFilter} before the body is read. */
  @ExceptionHandler(RequestBodyTooLargeException.class)
  ProblemDetail tooLarge(RequestBodyTooLargeException ex) {
    return problem(HttpStatus.CONTENT_TOO_LARGE, ex.getMessage());
  }

  /**
   * A bug, not the client's doing: logged in full, answered without internals. Except a write that
   * failed for want of disk space: a 503 that names the cause, for a client to try again later.
   */
  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception ex) {
    if (isUndecodableParameter(ex)) {
      return ResponseEntity.badRequest()
          .body(
              problem(
                  HttpStatus.BAD_REQUEST,
                  "A query parameter is not valid percent-encoded UTF-8 text (for example %zz)."));
    }
    if (isDiskFull(ex)) {
      logger.error("A write failed: the store's disk is full", ex);
      return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
          .header(HttpHeaders.RETRY_AFTER, String.valueOf(DISK_FULL_RETRY_AFTER_SECONDS))
          .body(
              problem(
                  HttpStatus.SERVICE_UNAVAILABLE,
                  "The store cannot write: no space is left on its disk. Nothing was changed;"
                      + " try again once space has been freed."));
    }
    logger.error("Unexpected error while handling a request", ex);
    return ResponseEntity.internalServerError()
        .body(
            problem(HttpStatus.INTERNAL_SERVER_ERROR, "The server failed to handle the request."));
  }

  /**
   * Whether {@code failure} comes from a full disk, in either store: the operating system's message
   * for ENOSPC, as the JDK and H2 pass it on, or PostgreSQL's {@code disk_full} state.
   */
  static boolean isDiskFull(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql && POSTGRES_DISK_FULL.equals(sql.getSQLState())) {
        return true;
      }
      String message = cause.getMessage();
      if (message != null && message.contains("No space left on device")) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }

  /**
   * A body that is not valid JSON or does not fit the request's shape, or one that passed the size
   * limit while it was read (the limit's exception arrives wrapped by the JSON reader).
   */
  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    RequestBodyTooLargeException tooLarge = causeOf(ex, RequestBodyTooLargeException.class);
    if (tooLarge != null) {
      return handleExceptionInternal(
          ex, tooLarge(tooLarge), headers, HttpStatus.CONTENT_TOO_LARGE, request);
    }
    ProblemDetail problem = problem(status, unreadableBodyDetail(ex));
    JacksonException json = causeOf(ex, JacksonException.class);
    if (json != null) {
      nameBatchItem(problem, json.getPath());
    }
    return handleExceptionInternal(ex, problem, headers, status, request);
  }

  /** A body that is not JSON, or one sent without saying what it is. */
  @Override
  protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(
      HttpMediaTypeNotSupportedException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    String given =
        ex.getContentType() == null
            ? "the request has no Content-Type"
            : "got '" + ex.getContentType() + "'";
    ProblemDetail problem =
        problem(
            status,
            "The request body must be JSON (Content-Type: application/json); " + given + ".");
    return handleExceptionInternal(ex, problem, headers, status, request);
  }

  /** {@code @Valid} failures on a request body, e.g. a title over 200 characters. */
  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(
      MethodArgumentNotValidException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    List<ObjectError> errors = ex.getBindingResult().getAllErrors();
    ProblemDetail problem = problem(status, describe(errors));
    errors.stream()
        .filter(FieldError.class::isInstance)
        .map(error -> BATCH_ITEM_FIELD.matcher(((FieldError) error).getField()))
        .filter(Matcher::matches)
        .min(Comparator.comparingInt(item -> Integer.parseInt(item.group(1))))
        .ifPresent(
            item ->
                withItem(
                    problem,
                    Integer.parseInt(item.group(1)),
                    item.group(2).isEmpty()
                        ? ""
                        : "/" + item.group(2).substring(1).replace('.', '/')));
    return handleExceptionInternal(ex, problem, headers, status, request);
  }

  /** Spring's problems too: every response gets its {@code type}, which Spring leaves out. */
  @Override
  protected ResponseEntity<Object> createResponseEntity(
      Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
    if (body instanceof ProblemDetail problem && problem.getType() == null) {
      problem.setType(BLANK_TYPE);
    }
    return super.createResponseEntity(body, headers, statusCode, request);
  }

  /**
   * A problem of type {@code about:blank}: its title is the status phrase, and docs/api.md "Errors"
   * promises that {@code type} is present even though RFC 9457 lets it be left out for that value.
   */
  /**
   * Tomcat's refusal to decode a query parameter such as {@code q=%zz}, thrown when a parameter is
   * first read. Known by name: this adapter does not depend on the servlet container it runs in.
   */
  private static boolean isUndecodableParameter(Throwable ex) {
    for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
      if (cause
          .getClass()
          .getName()
          .equals("org.apache.tomcat.util.http.InvalidParameterException")) {
        return true;
      }
    }
    return false;
  }

  static ProblemDetail problem(HttpStatusCode status, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(BLANK_TYPE);
    return problem;
  }

  /** A bean-validation field path inside a batch's item: {@code threads[3].title}. */
  private static final Pattern BATCH_ITEM_FIELD = Pattern.compile("threads\\[(\\d+)\\](\\..+)?");

  /** Names the batch item a problem is about: its index, and a JSON pointer to it (RFC 6901). */
  private static ProblemDetail withItem(ProblemDetail problem, int index, String insideItem) {
    problem.setProperty("index", index);
    problem.setProperty("pointer", "/threads/" + index + insideItem);
    return problem;
  }

  /** Names the batch item a JSON reading error is in, if it is in one. */
  private static void nameBatchItem(ProblemDetail problem, List<JacksonException.Reference> path) {
    if (path.size() >= 2
        && "threads".equals(path.get(0).getPropertyName())
        && path.get(1).getIndex() >= 0) {
      StringBuilder insideItem = new StringBuilder();
      for (JacksonException.Reference reference : path.subList(2, path.size())) {
        insideItem
            .append('/')
            .append(
                reference.getPropertyName() != null
                    ? reference.getPropertyName()
                    : String.valueOf(reference.getIndex()));
      }
      withItem(problem, path.get(1).getIndex(), insideItem.toString());
    }
  }

  private static String describe(List<ObjectError> errors) {
    return errors.stream()
        .map(
            error ->
                error instanceof FieldError field
                    ? field.getField() + ": " + field.getDefaultMessage()
                    : error.getDefaultMessage())
        .sorted()
        .collect(Collectors.joining("; "));
  }

  /**
   * Says what is wrong in the client's terms (JSON names and types); Jackson's own messages name
   * Java classes of this adapter.
   */
  private static String unreadableBodyDetail(HttpMessageNotReadableException ex) {
    JacksonException json = causeOf(ex, JacksonException.class);
    if (json == null) {
      // Spring's own message for a missing body names the controller method
      return "The request body is missing or could not be read.";
    }
    String path = jsonPath(json.getPath());
    String message = String.valueOf(json.getOriginalMessage());
    if (json instanceof PropertyBindingException unknown) {
      return "Unknown property '"
          + path
          + "'; known properties: "
          + unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
    }
    if (json instanceof InputCoercionException) {
      return "'" + path + "' is out of range: " + message;
    }
    if (json instanceof StreamReadException || json instanceof StreamConstraintsException) {
      String location = json.getLocation() == null ? "" : " at " + lineAndColumn(json);
      // Jackson appends where an unclosed object started, naming a source it does not show
      int noise = message.indexOf(" (start marker at");
      return "Malformed JSON"
          + location
          + ": "
          + (noise < 0 ? message : message.substring(0, noise));
    }
    // Jackson reports content after the value (FAIL_ON_TRAILING_TOKENS) as a mismatch of the
    // body's type; its message is the only thing that tells the two apart
    if (message.startsWith("Trailing token")) {
      return "Malformed JSON: there is more content after the JSON value.";
    }
    if (json instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      return path.isEmpty()
          ? "The request body must be " + jsonType(mismatch.getTargetType()) + "."
          : "'" + path + "' must be " + jsonType(mismatch.getTargetType()) + ".";
    }
    return path.isEmpty()
        ? "The request body does not fit the expected shape."
        : "'" + path + "' has an invalid value.";
  }

  private static String lineAndColumn(JacksonException json) {
    return "line "
        + json.getLocation().getLineNr()
        + ", column "
        + json.getLocation().getColumnNr();
  }

  /** A path such as {@code steps[0].retry.max_attempts}. */
  private static String jsonPath(List<JacksonException.Reference> path) {
    StringBuilder text = new StringBuilder();
    for (JacksonException.Reference reference : path) {
      if (reference.getPropertyName() != null) {
        if (!text.isEmpty()) {
          text.append('.');
        }
        text.append(reference.getPropertyName());
      } else if (reference.getIndex() >= 0) {
        text.append('[').append(reference.getIndex()).append(']');
      }
    }
    return text.toString();
  }

  private static String jsonType(Class<?> type) {
    if (CharSequence.class.isAssignableFrom(type)) {
      return "a string";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == Integer.class
        || type == int.class
        || type == Long.class
        || type == long.class
        || type == BigInteger.class) {
      return "an integer";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return "a number";
    }
    if (type == UUID.class) {
      return "a UUID string";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    return "an object";
  }

  private static <T extends Throwable> T causeOf(Throwable ex, Class<T> type) {
    for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return type.cast(cause);
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return null;
  }
}
