package io.orchestro.threads.adapters.rest;

import static org.hamcrest.Matchers.containsString;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.orchestro.threads.application.port.in.CreateThreadUseCase;
import io.orchestro.threads.application.port.in.CreateThreadUseCase.CreatedThread;
import io.orchestro.threads.application.port.in.DeleteThreadUseCase;
import io.orchestro.threads.application.port.in.GetThreadUseCase;
import io.orchestro.threads.application.port.in.GetWorkflowUseCase;
import io.orchestro.threads.application.port.in.ListThreadsUseCase;
import io.orchestro.threads.application.port.in.PauseThreadUseCase;
import io.orchestro.threads.application.port.in.PutWorkflowUseCase;
import io.orchestro.threads.application.port.in.ResumeThreadUseCase;
import io.orchestro.threads.application.port.in.RetryThreadUseCase;
import io.orchestro.threads.application.port.in.ThreadIdConflictException;
import io.orchestro.threads.application.port.in.ThreadNotFoundException;
import io.orchestro.threads.application.port.in.UnknownWorkflowTypeException;
import io.orchestro.threads.application.port.in.WorkflowNotFoundException;
import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.IllegalTransitionException;
import io.orchestro.threads.domain.InvalidWorkflowDefinitionException;
import io.orchestro.threads.domain.TestWorkflows;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.Transition;
import jakarta.servlet.Filter;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultMatcher;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/** docs/api.md "Errors", row by row, and Spring MVC's own errors: every one a problem+json. */
@EveryControllerSlice
class ErrorResponsesTest {

  private static final UUID ID = UUID.fromString("3f1c2a9e-6f0b-4d7e-9a55-0c1f7d2b8e41");
  private static final ThreadId THREAD_ID = new ThreadId(ID);

  @Autowired private MockMvc mvc;
  @Autowired private WebApplicationContext context;
  @Autowired private RequestBodyLimitFilter bodyLimitFilter;

  @Autowired private CreateThreadUseCase createThread;
  @Autowired private ListThreadsUseCase listThreads;
  @Autowired private GetThreadUseCase getThread;
  @Autowired private PauseThreadUseCase pauseThread;
  @Autowired private ResumeThreadUseCase resumeThread;
  @Autowired private RetryThreadUseCase retryThread;
  @Autowired private DeleteThreadUseCase deleteThread;
  @Autowired private GetWorkflowUseCase getWorkflow;
  @Autowired private PutWorkflowUseCase putWorkflow;

  /** An RFC 9457 problem with every member docs/api.md "Errors" names. */
  private static ResultMatcher problem(HttpStatus status, String detailPart) {
    ResultMatcher[] matchers = {
      status().is(status.value()),
      content().contentType(MediaType.APPLICATION_PROBLEM_JSON),
      jsonPath("$.type").value("about:blank"),
      jsonPath("$.title").value(status.getReasonPhrase()),
      jsonPath("$.status").value(status.value()),
      jsonPath("$.detail").value(containsString(detailPart))
    };
    return result -> {
      for (ResultMatcher matcher : matchers) {
        matcher.match(result);
      }
    };
  }

  private static MockHttpServletRequestBuilder createWith(String json) {
    return post("/api/threads").contentType(MediaType.APPLICATION_JSON).content(json);
  }

  private static MockHttpServletRequestBuilder putWorkflowWith(String json) {
    return put("/api/workflows/research").contentType(MediaType.APPLICATION_JSON).content(json);
  }

  // ---- 400: malformed JSON, wrong types (no coercion) ----

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          {"prompt": "x"                          | Malformed JSON at line 1
          {"prompt": "x", "prompt": "y"}          | Duplicate
          {"prompt": "x"} {"prompt": "y"}         | more content after the JSON value
          {"prompt": 'x'}                         | Malformed JSON
          """)
  void malformedJsonIs400(String body, String detail) throws Exception {
    mvc.perform(createWith(body)).andExpect(problem(HttpStatus.BAD_REQUEST, detail));
    verifyNoInteractions(createThread);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          {"prompt": 12}                        | 'prompt' must be a string
          {"prompt": 1.5}                       | 'prompt' must be a string
          {"prompt": true}                      | 'prompt' must be a string
          {"prompt": {"a": 1}}                  | 'prompt' must be a string
          {"prompt": ["x"]}                     | 'prompt' must be a string
          {"prompt": "x", "title": 7}           | 'title' must be a string
          {"prompt": "x", "workflow_type": false} | 'workflow_type' must be a string
          {"input": "x"}                        | 'input' must be an object
          {"input": ""}                         | 'input' must be an object
          {"input": [1]}                        | 'input' must be an object
          {"input": 1}                          | 'input' must be an object
          {"prompt": "x", "thread_id": "not-a-uuid"} | 'thread_id' must be a UUID string
          {"prompt": "x", "thread_id": ""}      | 'thread_id' must be a UUID string
          {"prompt": "x", "thread_id": 12}      | 'thread_id' must be a UUID string
          ["prompt"]                            | The request body must be an object
          "prompt"                              | The request body must be an object
          `   `                                 | The request body must be an object
          """)
  void wrongTypesAre400WithoutCoercion(String body, String detail) throws Exception {
    mvc.perform(createWith(body)).andExpect(problem(HttpStatus.BAD_REQUEST, detail));
    verifyNoInteractions(createThread);
  }

  /** Unknown properties are refused rather than ignored: a misspelt name is a client bug. */
  @Test
  void unknownPropertyIs400() throws Exception {
    mvc.perform(createWith("{\"prompt\": \"x\", \"workflowType\": \"research\"}"))
        .andExpect(problem(HttpStatus.BAD_REQUEST, "Unknown property 'workflowType'"))
        .andExpect(jsonPath("$.detail").value(containsString("workflow_type")));
    verifyNoInteractions(createThread);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "null"})
  void missingBodyIs400(String body) throws Exception {
    mvc.perform(createWith(body))
        .andExpect(problem(HttpStatus.BAD_REQUEST, "The request body is missing"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          {"prompt": "a\\u0000b"}                     | 'prompt' contains a NUL character (\\u0000), which cannot be stored
          {"prompt": "x", "title": "\\u0000"}         | 'title' contains a NUL character (\\u0000), which cannot be stored
          {"input": {"k": ["ok", "\\u0000"]}}         | 'input.k[1]' contains a NUL character (\\u0000), which cannot be stored
          {"input": {"\\u0000": 1}}                   | 'input' contains a NUL character (\\u0000), which cannot be stored
          """)
  void textWithANulCharacterIs400(String body, String detail) throws Exception {
    mvc.perform(createWith(body)).andExpect(problem(HttpStatus.BAD_REQUEST, detail));
    verifyNoInteractions(createThread);
  }

  @Test
  void aDefinitionWithANulCharacterIs400() throws Exception {
    mvc.perform(
            putWorkflowWith(
                "{\"description\": \"x\\u0000\", \"steps\": [{\"name\": \"a\", \"agent\": \"echo\"}]}"))
        .andExpect(
            problem(
                HttpStatus.BAD_REQUEST,
                "'description' contains a NUL character (\\u0000), which cannot be stored"));
  }

  @Test
  void aNumberJsonCannotCarryIs400() throws Exception {
    mvc.perform(createWith("{\"input\": {\"n\": [1e400]}}"))
        .andExpect(problem(HttpStatus.BAD_REQUEST, "'input.n[0]' is a number out of range"));
    verifyNoInteractions(createThread);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          {"steps": [{"name": "a", "agent": "delay", "retry": {"max_attempts": "3"}}]}  | 'steps[0].retry.max_attempts' must be an integer
          {"steps": [{"name": "a", "agent": "delay", "retry": {"max_attempts": 1.5}}]}  | 'steps[0].retry.max_attempts' must be an integer
          {"steps": [{"name": "a", "agent": "delay", "timeout_millis": true}]}          | 'steps[0].timeout_millis' must be an integer
          {"steps": [{"name": "a", "agent": "delay", "timeout_millis": 1e30}]}          | 'steps[0].timeout_millis' must be an integer
          {"steps": [{"name": "a", "agent": "delay", "config": "millis=5"}]}            | 'steps[0].config' must be an object
          {"steps": [{"name": "a", "agent": "delay", "retries": 3}]}                    | Unknown property 'steps[0].retries'
          {"keywords": "research", "steps": []}                                         | 'keywords' must be an array
          {"keywords": [null], "steps": []}                                             | keywords[0]: must not be null
          {"steps": [null]}                                                             | steps[0]: must not be null
          {"steps": [{"name": "", "agent": "delay"}]}                                   | step name '' must be
          {"steps": [{"name": "a", "agent": "delay", "config": {"x": -1e999}}]}         | 'steps[0].config.x' is a number out of range
          {"type": "report", "steps": [{"name": "a", "agent": "delay"}]}                | differs from the path's type 'research'
          """)
  void invalidWorkflowBodiesAre400(String body, String detail) throws Exception {
    mvc.perform(putWorkflowWith(body)).andExpect(problem(HttpStatus.BAD_REQUEST, detail));
    verifyNoInteractions(putWorkflow);
  }

  // ---- 400: invalid UUID in the path, unknown status filter, page or size out of range ----

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/threads/not-a-uuid",
        "/api/threads/1-2-3-4-5",
        "/api/threads/3f1c2a9e6f0b4d7e9a550c1f7d2b8e41"
      })
  void invalidUuidInThePathIs400(String path) throws Exception {
    mvc.perform(get(path)).andExpect(problem(HttpStatus.BAD_REQUEST, "'id'"));
    mvc.perform(post(path + "/pause")).andExpect(problem(HttpStatus.BAD_REQUEST, "'id'"));
    mvc.perform(delete(path)).andExpect(problem(HttpStatus.BAD_REQUEST, "'id'"));
    verifyNoInteractions(getThread, pauseThread, deleteThread);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bogus", "RUNNING", "Running"})
  void unknownStatusFilterIs400(String status) throws Exception {
    mvc.perform(get("/api/threads").param("status", "running", status))
        .andExpect(problem(HttpStatus.BAD_REQUEST, "unknown thread status '" + status + "'"));
    verifyNoInteractions(listThreads);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          page | -1  | page must be 0 or more
          size | 0   | size must be between 1 and 500
          size | 501 | size must be between 1 and 500
          size | -5  | size must be between 1 and 500
          page | abc | 'page'
          size | 1.5 | 'size'
          page | 99999999999 | 'page'
          """)
  void pageOrSizeOutOfRangeIs400(String name, String value, String detail) throws Exception {
    mvc.perform(get("/api/threads").param(name, value))
        .andExpect(problem(HttpStatus.BAD_REQUEST, detail));
    verifyNoInteractions(listThreads);
  }

  // ---- 400: unknown workflow type, invalid definitions, request rules ----

  @Test
  void creatingAThreadOfAnUnknownWorkflowTypeIs400() throws Exception {
    when(createThread.create(any(), any())).thenThrow(new UnknownWorkflowTypeException("nope"));

    mvc.perform(createWith("{\"prompt\": \"x\", \"workflow_type\": \"nope\"}"))
        .andExpect(problem(HttpStatus.BAD_REQUEST, "unknown workflow type 'nope'"));
  }

  @Test
  void anInvalidDefinitionIs400() throws Exception {
    when(putWorkflow.put(any()))
        .thenThrow(new InvalidWorkflowDefinitionException("step 'a' names unknown agent 'x'"));

    mvc.perform(putWorkflowWith("{\"steps\": [{\"name\": \"a\", \"agent\": \"x\"}]}"))
        .andExpect(problem(HttpStatus.BAD_REQUEST, "step 'a' names unknown agent 'x'"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "{\"prompt\": \"  \"}", "{\"input\": {}}", "{\"input\": null}"})
  void aThreadWithoutPromptOrInputIs400(String body) throws Exception {
    mvc.perform(createWith(body))
        .andExpect(problem(HttpStatus.BAD_REQUEST, "a prompt is required unless input is given"));
    verifyNoInteractions(createThread);
  }

  @Test
  void aTitleOver200CharactersIs400() throws Exception {
    mvc.perform(createWith("{\"prompt\": \"x\", \"title\": \"" + "t".repeat(201) + "\"}"))
        .andExpect(problem(HttpStatus.BAD_REQUEST, "title: must be at most 200 characters"));
    verifyNoInteractions(createThread);
  }

  @Test
  void aTitleOf200CharactersIsFine() throws Exception {
    when(createThread.create(any(), any()))
        .thenReturn(new CreatedThread(TestWorkflows.pendingThread(), true));

    mvc.perform(createWith("{\"prompt\": \"x\", \"title\": \"" + "t".repeat(200) + "\"}"))
        .andExpect(status().isCreated());
  }

  // ---- 404: no such thread, no such workflow ----

  @Test
  void noSuchThreadIs404ForEveryCall() throws Exception {
    var notFound = new ThreadNotFoundException(THREAD_ID);
    when(getThread.get(Caller.LOCAL_ADMIN, THREAD_ID)).thenThrow(notFound);
    when(pauseThread.pause(Caller.LOCAL_ADMIN, THREAD_ID)).thenThrow(notFound);
    when(resumeThread.resume(Caller.LOCAL_ADMIN, THREAD_ID)).thenThrow(notFound);
    when(retryThread.retry(Caller.LOCAL_ADMIN, THREAD_ID)).thenThrow(notFound);
    org.mockito.Mockito.doThrow(notFound).when(deleteThread).delete(Caller.LOCAL_ADMIN, THREAD_ID);

    String detail = "no thread " + ID;
    mvc.perform(get("/api/threads/{id}", ID)).andExpect(problem(HttpStatus.NOT_FOUND, detail));
    mvc.perform(delete("/api/threads/{id}", ID)).andExpect(problem(HttpStatus.NOT_FOUND, detail));
    for (String call : new String[] {"pause", "resume", "retry"}) {
      mvc.perform(post("/api/threads/{id}/" + call, ID))
          .andExpect(problem(HttpStatus.NOT_FOUND, detail))
          .andExpect(jsonPath("$.instance").value("/api/threads/" + ID + "/" + call));
    }
  }

  @Test
  void noSuchWorkflowIs404() throws Exception {
    when(getWorkflow.get("nope")).thenThrow(new WorkflowNotFoundException("nope"));

    mvc.perform(get("/api/workflows/nope"))
        .andExpect(problem(HttpStatus.NOT_FOUND, "no workflow 'nope'"));
  }

  // ---- 409: transition not allowed, conflicting re-create ----

  @Test
  void aTransitionNotAllowedIs409() throws Exception {
    when(pauseThread.pause(Caller.LOCAL_ADMIN, THREAD_ID))
        .thenThrow(
            new IllegalTransitionException(THREAD_ID, ThreadStatus.COMPLETED, Transition.PAUSE));
    when(resumeThread.resume(Caller.LOCAL_ADMIN, THREAD_ID))
        .thenThrow(
            new IllegalTransitionException(THREAD_ID, ThreadStatus.FAILED, Transition.RESUME));
    when(retryThread.retry(Caller.LOCAL_ADMIN, THREAD_ID))
        .thenThrow(
            new IllegalTransitionException(THREAD_ID, ThreadStatus.RUNNING, Transition.RETRY));

    mvc.perform(post("/api/threads/{id}/pause", ID))
        .andExpect(problem(HttpStatus.CONFLICT, "cannot pause thread " + ID + ": it is completed"));
    mvc.perform(post("/api/threads/{id}/resume", ID))
        .andExpect(problem(HttpStatus.CONFLICT, "cannot resume thread " + ID + ": it is failed"));
    mvc.perform(post("/api/threads/{id}/retry", ID))
        .andExpect(problem(HttpStatus.CONFLICT, "cannot retry thread " + ID + ": it is running"));
  }

  @Test
  void aConflictingReCreateIs409() throws Exception {
    when(createThread.create(any(), any())).thenThrow(new ThreadIdConflictException(THREAD_ID));

    mvc.perform(createWith("{\"prompt\": \"other\", \"thread_id\": \"" + ID + "\"}"))
        .andExpect(problem(HttpStatus.CONFLICT, "already exists with a different request"));
  }

  // ---- 413: body over 64 KiB, with a Content-Length or without one ----

  /** A valid create body of exactly {@code bytes} bytes (padded with JSON whitespace). */
  private static String createBodyOf(int bytes) {
    String json = "{\"prompt\": \"do the thing\"}";
    return json + " ".repeat(bytes - json.length());
  }

  @Test
  void aBodyOver64KiBIs413BeforeItIsRead() throws Exception {
    mvc.perform(createWith(createBodyOf(64 * 1024 + 1)))
        .andExpect(problem(HttpStatus.CONTENT_TOO_LARGE, "larger than 65536 bytes"));
    mvc.perform(putWorkflowWith(createBodyOf(200_000)))
        .andExpect(problem(HttpStatus.CONTENT_TOO_LARGE, "larger than 65536 bytes"));
    verifyNoInteractions(createThread, putWorkflow);
  }

  @Test
  void aBodyOfExactly64KiBIsAccepted() throws Exception {
    when(createThread.create(any(), any()))
        .thenReturn(new CreatedThread(TestWorkflows.pendingThread(), true));

    mvc.perform(createWith(createBodyOf(64 * 1024))).andExpect(status().isCreated());
  }

  @Test
  void aChunkedBodyOver64KiBIs413WhileItIsRead() throws Exception {
    MockMvc withoutLengths = mvcThatHidesContentLength();
    when(createThread.create(any(), any()))
        .thenReturn(new CreatedThread(TestWorkflows.pendingThread(), true));

    withoutLengths
        .perform(createWith(createBodyOf(64 * 1024 + 1)))
        .andExpect(problem(HttpStatus.CONTENT_TOO_LARGE, "larger than 65536 bytes"));
    verifyNoInteractions(createThread);

    withoutLengths.perform(createWith(createBodyOf(64 * 1024))).andExpect(status().isCreated());
    verify(createThread).create(any(), any());
  }

  /**
   * MockMvc always knows a body's length; this one hides it, as for a chunked request, so that the
   * limit filter has to count.
   */
  private MockMvc mvcThatHidesContentLength() {
    Filter hideLength =
        (request, response, chain) ->
            chain.doFilter(
                new HttpServletRequestWrapper((HttpServletRequest) request) {
                  @Override
                  public int getContentLength() {
                    return -1;
                  }

                  @Override
                  public long getContentLengthLong() {
                    return -1;
                  }

                  @Override
                  public String getHeader(String name) {
                    return "Content-Length".equalsIgnoreCase(name) ? null : super.getHeader(name);
                  }
                },
                response);
    return MockMvcBuilders.webAppContextSetup(context)
        .addFilters(hideLength, bodyLimitFilter)
        .build();
  }

  // ---- 415: not JSON ----

  @ParameterizedTest
  @ValueSource(
      strings = {
        "text/plain",
        "application/xml",
        "application/yaml",
        "application/merge-patch+json",
        "application/x-www-form-urlencoded"
      })
  void aBodyThatIsNotJsonIs415(String contentType) throws Exception {
    mvc.perform(post("/api/threads").contentType(contentType).content("prompt=x"))
        .andExpect(problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "got '" + contentType));
    mvc.perform(put("/api/workflows/research").contentType(contentType).content("<x/>"))
        .andExpect(problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "must be JSON"));
    verifyNoInteractions(createThread, putWorkflow);
  }

  @Test
  void aBodyWithoutContentTypeIs415() throws Exception {
    mvc.perform(post("/api/threads").content("{\"prompt\": \"x\"}"))
        .andExpect(problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "the request has no Content-Type"));
  }

  // ---- Spring MVC's own errors ----

  @Test
  void anUnknownPathIs404() throws Exception {
    mvc.perform(get("/api/nothing-here")).andExpect(problem(HttpStatus.NOT_FOUND, "nothing-here"));
    mvc.perform(post("/api/threads/{id}/explode", ID))
        .andExpect(problem(HttpStatus.NOT_FOUND, "explode"));
  }

  @Test
  void aMethodNotSupportedIs405() throws Exception {
    mvc.perform(patch("/api/threads/{id}", ID))
        .andExpect(problem(HttpStatus.METHOD_NOT_ALLOWED, "Method 'PATCH' is not supported"))
        .andExpect(header().string("Allow", containsString("GET")));
    mvc.perform(delete("/api/workflows/research"))
        .andExpect(problem(HttpStatus.METHOD_NOT_ALLOWED, "Method 'DELETE' is not supported"));
  }

  /** The API speaks JSON only, even where another converter (YAML) is on the classpath. */
  @ParameterizedTest
  @ValueSource(strings = {"application/xml", "application/yaml", "text/html"})
  void anUnacceptableResponseTypeIs406(String accept) throws Exception {
    when(getThread.get(Caller.LOCAL_ADMIN, THREAD_ID)).thenReturn(TestWorkflows.pendingThread());

    mvc.perform(get("/api/threads/{id}", ID).accept(accept))
        .andExpect(problem(HttpStatus.NOT_ACCEPTABLE, "[application/json]"));
  }

  @Test
  void anUnexpectedFailureIs500WithoutInternals() throws Exception {
    when(getThread.get(Caller.LOCAL_ADMIN, THREAD_ID))
        .thenThrow(new IllegalStateException("secret internals"));

    mvc.perform(get("/api/threads/{id}", ID))
        .andExpect(
            problem(HttpStatus.INTERNAL_SERVER_ERROR, "The server failed to handle the request."))
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.not(containsString("secret"))));
  }

  @Test
  void theContainersErrorPageIsAProblemToo() throws Exception {
    mvc.perform(
            get("/error")
                .requestAttr(RequestDispatcher.ERROR_STATUS_CODE, 400)
                .requestAttr(RequestDispatcher.ERROR_REQUEST_URI, "/api/threads")
                .accept(MediaType.TEXT_HTML))
        .andExpect(problem(HttpStatus.BAD_REQUEST, "Bad Request"))
        .andExpect(jsonPath("$.instance").value("/api/threads"));
    mvc.perform(get("/error")).andExpect(problem(HttpStatus.INTERNAL_SERVER_ERROR, "failed"));
  }
}
