package io.orchestro.threads.adapters.rest;

import static io.orchestro.threads.domain.TestWorkflows.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.orchestro.threads.application.port.in.BulkChangeCommand;
import io.orchestro.threads.application.port.in.BulkChangeUseCase;
import io.orchestro.threads.application.port.in.BulkChangeUseCase.BulkResult;
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
import io.orchestro.threads.domain.Caller;
import io.orchestro.threads.domain.IllegalTransitionException;
import io.orchestro.threads.domain.ListThreadsQuery;
import io.orchestro.threads.domain.StepStatus;
import io.orchestro.threads.domain.TestWorkflows;
import io.orchestro.threads.domain.ThreadAction;
import io.orchestro.threads.domain.ThreadCounts;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadPage;
import io.orchestro.threads.domain.ThreadRequest;
import io.orchestro.threads.domain.ThreadSnapshot;
import io.orchestro.threads.domain.ThreadStatus;
import io.orchestro.threads.domain.ThreadStep;
import io.orchestro.threads.domain.Transition;
import io.orchestro.threads.domain.WorkflowThread;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

@WebMvcTest(ThreadController.class)
class ThreadControllerTest {

  private static final UUID ID = UUID.fromString("3f1c2a9e-6f0b-4d7e-9a55-0c1f7d2b8e41");

  @Autowired private MockMvc mvc;

  @MockitoBean private CreateThreadUseCase createThread;
  @MockitoBean private CreateThreadsUseCase createThreads;
  @MockitoBean private ListThreadsUseCase listThreads;
  @MockitoBean private GetThreadUseCase getThread;
  @MockitoBean private PauseThreadUseCase pauseThread;
  @MockitoBean private ResumeThreadUseCase resumeThread;
  @MockitoBean private RetryThreadUseCase retryThread;
  @MockitoBean private CancelThreadUseCase cancelThread;
  @MockitoBean private BulkChangeUseCase bulkChange;
  @MockitoBean private DeleteThreadUseCase deleteThread;

  /**
   * A running thread of steps plan (completed), draft (running), publish (pending), with times that
   * test the format: more precision than milliseconds, and none at all.
   */
  private static WorkflowThread runningThread() {
    Instant started = Instant.parse("2026-11-28T10:00:00Z");
    Instant planDone = Instant.parse("2026-11-28T10:00:01.999999999Z");
    Instant draftStarted = Instant.parse("2026-11-28T10:00:02.412345Z");
    return WorkflowThread.restore(
        new ThreadSnapshot(
            new ThreadId(ID),
            Caller.LOCAL_OWNER,
            "Workflow - Summarise the Q3 sales report",
            "research",
            3,
            new ThreadRequest(
                "Summarise the Q3 sales report", "research", null, Map.of("quarter", 3)),
            ThreadStatus.RUNNING,
            List.of(
                new ThreadStep(
                    "plan",
                    "delay",
                    StepStatus.COMPLETED,
                    1,
                    0,
                    started,
                    planDone,
                    Map.of("waited", 500),
                    null),
                new ThreadStep(
                    "draft", "echo", StepStatus.RUNNING, 2, 1, draftStarted, null, null, "flaky"),
                new ThreadStep(
                    "publish", "echo", StepStatus.PENDING, 0, 0, null, null, null, null)),
            null,
            Instant.parse("2026-11-28T09:59:59.870Z"),
            started,
            draftStarted,
            null,
            7));
  }

  private static final String RUNNING_THREAD_JSON =
      """
      {
        "thread_id": "3f1c2a9e-6f0b-4d7e-9a55-0c1f7d2b8e41",
        "owner": "local",
        "title": "Workflow - Summarise the Q3 sales report",
        "workflow_type": "research",
        "status": "running",
        "current_step": "draft",
        "total_steps": 3,
        "completed_steps": 1,
        "percent": 33,
        "start_time": "2026-11-28T10:00:00.000Z",
        "last_updated": "2026-11-28T10:00:02.412Z",
        "error_message": null,
        "input": { "prompt": "Summarise the Q3 sales report", "quarter": 3 },
        "created_at": "2026-11-28T09:59:59.870Z",
        "finished_at": null,
        "priority": 0,
        "start_at": null,
        "allowed_actions": ["pause", "cancel", "delete"],
        "steps": [
          { "name": "plan", "agent": "delay", "status": "completed", "attempts": 1,
            "started_at": "2026-11-28T10:00:00.000Z", "finished_at": "2026-11-28T10:00:01.999Z",
            "output": { "waited": 500 }, "error": null },
          { "name": "draft", "agent": "echo", "status": "running", "attempts": 2,
            "started_at": "2026-11-28T10:00:02.412Z", "finished_at": null,
            "output": null, "error": "flaky" },
          { "name": "publish", "agent": "echo", "status": "pending", "attempts": 0,
            "started_at": null, "finished_at": null, "output": null, "error": null }
        ]
      }
      """;

  @Test
  void createAnswers201WithLocationAndTheThread() throws Exception {
    WorkflowThread thread = runningThread();
    when(createThread.create(any(), any())).thenReturn(new CreatedThread(thread, true));

    mvc.perform(
            post("/api/threads")
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    """
                    { "prompt": "Summarise the Q3 sales report", "workflow_type": "research",
                      "title": "Q3", "thread_id": "3f1c2a9e-6f0b-4d7e-9a55-0c1f7d2b8e41",
                      "input": { "quarter": 3, "tags": ["a", null], "nested": { "x": 1.5 } } }
                    """))
        .andExpect(status().isCreated())
        .andExpect(header().string("Location", "/api/threads/" + ID))
        .andExpect(content().contentType(MediaType.APPLICATION_JSON))
        .andExpect(content().json(RUNNING_THREAD_JSON, JsonCompareMode.STRICT));

    Map<String, Object> nested = Map.of("x", 1.5);
    var tags = new java.util.ArrayList<>();
    tags.add("a");
    tags.add(null);
    verify(createThread)
        .create(
            Caller.LOCAL_ADMIN,
            new CreateThreadCommand(
                new ThreadId(ID),
                new ThreadRequest(
                    "Summarise the Q3 sales report",
                    "research",
                    "Q3",
                    Map.of("quarter", 3, "tags", tags, "nested", nested))));
  }

  @Test
  void createWithOnlyAPromptLeavesEverythingElseToTheServer() throws Exception {
    when(createThread.create(any(), any()))
        .thenReturn(new CreatedThread(TestWorkflows.pendingThread(), true));

    mvc.perform(
            post("/api/threads")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"prompt\": \"do the thing\"}"))
        .andExpect(status().isCreated());

    verify(createThread)
        .create(
            Caller.LOCAL_ADMIN,
            new CreateThreadCommand(null, new ThreadRequest("do the thing", null, null, null)));
  }

  @Test
  void createPassesPriorityAndStartTimeOnAndTheThreadShowsThem() throws Exception {
    Instant startAt = Instant.parse("2026-11-28T12:00:00.250Z");
    WorkflowThread thread =
        WorkflowThread.create(
            new ThreadId(ID),
            new ThreadRequest("later", null, null, null, 7, startAt),
            TestWorkflows.definition("general", "a"),
            TestWorkflows.T0);
    when(createThread.create(any(), any())).thenReturn(new CreatedThread(thread, true));

    mvc.perform(
            post("/api/threads")
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    "{\"prompt\": \"later\", \"priority\": 7,"
                        + " \"start_at\": \"2026-11-28T13:00:00.250+01:00\"}"))
        .andExpect(status().isCreated())
        .andExpect(jsonPath("$.priority").value(7))
        .andExpect(jsonPath("$.start_at").value("2026-11-28T12:00:00.250Z"))
        .andExpect(jsonPath("$.status").value("pending"));

    verify(createThread)
        .create(
            Caller.LOCAL_ADMIN,
            new CreateThreadCommand(
                null, new ThreadRequest("later", null, null, null, 7, startAt)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"prompt\": \"x\", \"priority\": 101}",
        "{\"prompt\": \"x\", \"priority\": -101}",
        "{\"prompt\": \"x\", \"priority\": \"high\"}",
        "{\"prompt\": \"x\", \"start_at\": \"tomorrow\"}",
        "{\"prompt\": \"x\", \"start_at\": \"2026-11-28T12:00:00\"}",
        "{\"prompt\": \"x\", \"start_at\": 1764331200}"
      })
  void aPriorityOutOfRangeOrAStartTimeThatIsNotATimeIsA400(String body) throws Exception {
    mvc.perform(post("/api/threads").contentType(MediaType.APPLICATION_JSON).content(body))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
    verifyNoInteractions(createThread);
  }

  @Test
  void createWithOnlyInputNeedsNoPrompt() throws Exception {
    when(createThread.create(any(), any()))
        .thenReturn(new CreatedThread(TestWorkflows.pendingThread(), true));

    mvc.perform(
            post("/api/threads")
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"input\": {\"url\": \"x\"}, \"title\": null}"))
        .andExpect(status().isCreated());

    verify(createThread)
        .create(
            Caller.LOCAL_ADMIN,
            new CreateThreadCommand(null, new ThreadRequest(null, null, null, Map.of("url", "x"))));
  }

  @Test
  void createAgainWithAnEqualBodyAnswers200WithTheExistingThread() throws Exception {
    when(createThread.create(any(), any())).thenReturn(new CreatedThread(runningThread(), false));

    mvc.perform(
            post("/api/threads")
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    "{\"prompt\": \"Summarise the Q3 sales report\","
                        + " \"thread_id\": \"3F1C2A9E-6F0B-4D7E-9A55-0C1F7D2B8E41\"}"))
        .andExpect(status().isOk())
        .andExpect(header().doesNotExist("Location"))
        .andExpect(content().json(RUNNING_THREAD_JSON, JsonCompareMode.STRICT));
  }

  @Test
  void getAnswersTheThreadWithEveryFieldInContractOrder() throws Exception {
    when(getThread.get(Caller.LOCAL_ADMIN, new ThreadId(ID))).thenReturn(runningThread());

    String json =
        mvc.perform(get("/api/threads/{id}", ID))
            .andExpect(status().isOk())
            .andExpect(content().json(RUNNING_THREAD_JSON, JsonCompareMode.STRICT))
            .andReturn()
            .getResponse()
            .getContentAsString();

    // STRICT comparison may not tell a null field from a missing one: check the names themselves
    Map<?, ?> thread = JsonMapper.builder().build().readValue(json, LinkedHashMap.class);
    assertThat(names(thread))
        .containsExactly(
            "thread_id",
            "owner",
            "title",
            "workflow_type",
            "status",
            "current_step",
            "total_steps",
            "completed_steps",
            "percent",
            "start_time",
            "last_updated",
            "error_message",
            "input",
            "created_at",
            "finished_at",
            "priority",
            "start_at",
            "allowed_actions",
            "steps");
    Map<?, ?> step = (Map<?, ?>) ((List<?>) thread.get("steps")).get(2);
    assertThat(names(step))
        .containsExactly(
            "name", "agent", "status", "attempts", "started_at", "finished_at", "output", "error");
  }

  private static List<String> names(Map<?, ?> object) {
    return object.keySet().stream().map(String::valueOf).toList();
  }

  @Test
  void aFailedThreadShowsItsErrorAndFinishTime() throws Exception {
    WorkflowThread failed = TestWorkflows.threadIn(ThreadStatus.FAILED);
    when(getThread.get(Caller.LOCAL_ADMIN, failed.id())).thenReturn(failed);

    mvc.perform(get("/api/threads/{id}", failed.id().value()))
        .andExpect(status().isOk())
        .andExpect(
            content()
                .json(
                    """
                    { "thread_id": "%s", "owner": "local", "title": "Workflow - do the thing",
                      "workflow_type": "test", "status": "failed", "current_step": "a",
                      "total_steps": 3, "completed_steps": 0, "percent": 0,
                      "start_time": "2026-11-28T10:00:01.123Z",
                      "last_updated": "2026-11-28T10:00:01.123Z",
                      "error_message": "boom", "input": { "prompt": "do the thing" },
                      "created_at": "2026-11-28T10:00:00.123Z",
                      "finished_at": "2026-11-28T10:00:01.123Z",
                      "priority": 0, "start_at": null,
                      "allowed_actions": ["retry", "delete"],
                      "steps": [
                        { "name": "a", "agent": "delay", "status": "failed", "attempts": 1,
                          "started_at": "2026-11-28T10:00:01.123Z",
                          "finished_at": "2026-11-28T10:00:01.123Z",
                          "output": null, "error": "boom" },
                        { "name": "b", "agent": "delay", "status": "pending", "attempts": 0,
                          "started_at": null, "finished_at": null, "output": null, "error": null },
                        { "name": "c", "agent": "delay", "status": "pending", "attempts": 0,
                          "started_at": null, "finished_at": null, "output": null, "error": null }
                      ] }
                    """
                        .formatted(failed.id()),
                    JsonCompareMode.STRICT));
  }

  @Test
  void aCompletedThreadHasNoCurrentStep() throws Exception {
    WorkflowThread completed = TestWorkflows.threadIn(ThreadStatus.COMPLETED);
    when(getThread.get(Caller.LOCAL_ADMIN, completed.id())).thenReturn(completed);

    mvc.perform(get("/api/threads/{id}", completed.id().value()))
        .andExpect(status().isOk())
        .andExpect(
            content()
                .json(
                    """
                    { "status": "completed", "current_step": null, "total_steps": 3,
                      "completed_steps": 3, "percent": 100,
                      "finished_at": "2026-11-28T10:00:01.123Z",
                      "allowed_actions": ["delete"] }
                    """,
                    JsonCompareMode.LENIENT));
  }

  @Test
  void listAnswersAPageOfSummariesWithoutStepsAndInput() throws Exception {
    WorkflowThread thread = runningThread();
    when(listThreads.list(any(), any())).thenReturn(new ThreadPage(List.of(thread), 2, 10, 21));

    mvc.perform(
            get("/api/threads")
                .param("status", "running", "paused")
                .param("workflow_type", "research")
                .param("page", "2")
                .param("size", "10"))
        .andExpect(status().isOk())
        .andExpect(
            content()
                .json(
                    """
                    { "items": [ {
                        "thread_id": "3f1c2a9e-6f0b-4d7e-9a55-0c1f7d2b8e41",
                        "owner": "local",
                        "title": "Workflow - Summarise the Q3 sales report",
                        "workflow_type": "research",
                        "status": "running",
                        "current_step": "draft",
                        "total_steps": 3,
                        "completed_steps": 1,
                        "percent": 33,
                        "start_time": "2026-11-28T10:00:00.000Z",
                        "last_updated": "2026-11-28T10:00:02.412Z",
                        "error_message": null,
                        "created_at": "2026-11-28T09:59:59.870Z",
                        "finished_at": null,
                        "priority": 0,
                        "start_at": null,
                        "allowed_actions": ["pause", "cancel", "delete"] } ],
                      "page": 2, "size": 10, "total": 21 }
                    """,
                    JsonCompareMode.STRICT));

    verify(listThreads)
        .list(
            Caller.LOCAL_ADMIN,
            new ListThreadsQuery(
                Set.of(ThreadStatus.RUNNING, ThreadStatus.PAUSED), "research", 2, 10));
  }

  @Test
  void countsNameEveryStatusWithTheTotalForTheFilter() throws Exception {
    when(listThreads.count(any(), any()))
        .thenReturn(new ThreadCounts(Map.of(ThreadStatus.RUNNING, 4L, ThreadStatus.FAILED, 2L)));

    mvc.perform(
            get("/api/threads/counts")
                .param("workflow_type", "research")
                .param("q", "Harbour")
                .param("created_after", "2026-11-28T10:00:00Z"))
        .andExpect(status().isOk())
        .andExpect(
            content()
                .json(
                    """
                    { "total": 6,
                      "by_status": { "pending": 0, "running": 4, "paused": 0, "completed": 0,
                                     "failed": 2 } }
                    """,
                    JsonCompareMode.STRICT));

    verify(listThreads)
        .count(
            Caller.LOCAL_ADMIN,
            new ListThreadsQuery(
                Set.of(),
                "research",
                "harbour",
                Instant.parse("2026-11-28T10:00:00Z"),
                null,
                ListThreadsQuery.SortBy.CREATED_AT,
                false,
                0,
                1));
  }

  @Test
  void listWithoutParametersAsksForTheFirstPageOfFiftyOfAll() throws Exception {
    when(listThreads.list(any(), any())).thenReturn(new ThreadPage(List.of(), 0, 50, 0));

    mvc.perform(get("/api/threads"))
        .andExpect(status().isOk())
        .andExpect(
            content()
                .json(
                    "{\"items\": [], \"page\": 0, \"size\": 50, \"total\": 0}",
                    JsonCompareMode.STRICT));

    verify(listThreads).list(Caller.LOCAL_ADMIN, new ListThreadsQuery(Set.of(), null, 0, 50));
  }

  @Test
  void listAcceptsTheLargestPageSize() throws Exception {
    when(listThreads.list(any(), any())).thenReturn(new ThreadPage(List.of(), 0, 500, 0));

    mvc.perform(get("/api/threads").param("size", "500").param("status", "completed"))
        .andExpect(status().isOk());

    verify(listThreads)
        .list(
            Caller.LOCAL_ADMIN, new ListThreadsQuery(Set.of(ThreadStatus.COMPLETED), null, 0, 500));
  }

  @Test
  void listPassesTheSearchTheTimeRangeAndTheOrderOn() throws Exception {
    when(listThreads.list(any(), any())).thenReturn(new ThreadPage(List.of(), 0, 50, 0));

    mvc.perform(
            get("/api/threads")
                .param("q", "  Sales Report ")
                .param("created_after", "2026-11-28T10:00:00Z")
                .param("created_before", "2026-11-28T12:00:00+01:00")
                .param("sort", "last_updated")
                .param("order", "asc"))
        .andExpect(status().isOk());

    verify(listThreads)
        .list(
            Caller.LOCAL_ADMIN,
            new ListThreadsQuery(
                Set.of(),
                null,
                "sales report",
                Instant.parse("2026-11-28T10:00:00Z"),
                Instant.parse("2026-11-28T11:00:00Z"),
                ListThreadsQuery.SortBy.LAST_UPDATED,
                true,
                0,
                50));
  }

  @ParameterizedTest
  @CsvSource({
    "sort, title",
    "order, newest",
    "created_after, yesterday",
    "created_before, 2026-11-28",
  })
  void anUnknownSortOrderOrTimeIsABadRequest(String parameter, String value) throws Exception {
    mvc.perform(get("/api/threads").param(parameter, value))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentType("application/problem+json"))
        .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString(parameter)));
    verifyNoInteractions(listThreads);
  }

  @Test
  void aSearchTextOverTwoHundredCharactersIsABadRequest() throws Exception {
    mvc.perform(get("/api/threads").param("q", "x".repeat(201)))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentType("application/problem+json"));
    verifyNoInteractions(listThreads);
  }

  @Test
  void deleteAnswers204WithoutBody() throws Exception {
    mvc.perform(delete("/api/threads/{id}", ID))
        .andExpect(status().isNoContent())
        .andExpect(content().string(""));

    verify(deleteThread).delete(Caller.LOCAL_ADMIN, new ThreadId(ID));
  }

  @Test
  void pauseAnswersTheThread() throws Exception {
    WorkflowThread paused = TestWorkflows.threadIn(ThreadStatus.PAUSED);
    when(pauseThread.pause(Caller.LOCAL_ADMIN, paused.id())).thenReturn(paused);

    mvc.perform(post("/api/threads/{id}/pause", paused.id().value()))
        .andExpect(status().isOk())
        .andExpect(
            content()
                .json(
                    """
                    { "thread_id": "%s", "status": "paused",
                      "allowed_actions": ["resume", "cancel", "delete"] }
                    """
                        .formatted(paused.id()),
                    JsonCompareMode.LENIENT));

    verify(pauseThread).pause(Caller.LOCAL_ADMIN, paused.id());
  }

  @Test
  void resumeAnswersTheThread() throws Exception {
    WorkflowThread pending = TestWorkflows.threadIn(ThreadStatus.PENDING);
    when(resumeThread.resume(Caller.LOCAL_ADMIN, pending.id())).thenReturn(pending);

    mvc.perform(post("/api/threads/{id}/resume", pending.id().value()))
        .andExpect(status().isOk())
        .andExpect(
            content()
                .json(
                    """
                    { "thread_id": "%s", "status": "pending",
                      "allowed_actions": ["pause", "cancel", "delete"] }
                    """
                        .formatted(pending.id()),
                    JsonCompareMode.LENIENT));

    verify(resumeThread).resume(Caller.LOCAL_ADMIN, pending.id());
  }

  @Test
  void retryAnswersTheThread() throws Exception {
    WorkflowThread failed = TestWorkflows.threadIn(ThreadStatus.FAILED);
    failed.retry(T0.plusSeconds(2));
    when(retryThread.retry(Caller.LOCAL_ADMIN, failed.id())).thenReturn(failed);

    mvc.perform(post("/api/threads/{id}/retry", failed.id().value()))
        .andExpect(status().isOk())
        .andExpect(
            content()
                .json(
                    """
                    { "thread_id": "%s", "status": "pending", "error_message": null,
                      "finished_at": null, "last_updated": "2026-11-28T10:00:02.123Z",
                      "allowed_actions": ["pause", "cancel", "delete"] }
                    """
                        .formatted(failed.id()),
                    JsonCompareMode.LENIENT));

    verify(retryThread).retry(Caller.LOCAL_ADMIN, failed.id());
  }

  @Test
  void cancelAnswersTheThreadFailedWithCancelled() throws Exception {
    WorkflowThread running = TestWorkflows.threadIn(ThreadStatus.RUNNING);
    running.cancel(T0.plusSeconds(2));
    when(cancelThread.cancel(Caller.LOCAL_ADMIN, running.id())).thenReturn(running);

    mvc.perform(post("/api/threads/{id}/cancel", running.id().value()))
        .andExpect(status().isOk())
        .andExpect(
            content()
                .json(
                    """
                    { "thread_id": "%s", "status": "failed", "error_message": "cancelled",
                      "finished_at": "2026-11-28T10:00:02.123Z",
                      "allowed_actions": ["retry", "delete"] }
                    """
                        .formatted(running.id()),
                    JsonCompareMode.LENIENT));

    verify(cancelThread).cancel(Caller.LOCAL_ADMIN, running.id());
  }

  @Test
  void cancellingAFinishedThreadIsAConflict() throws Exception {
    WorkflowThread completed = TestWorkflows.threadIn(ThreadStatus.COMPLETED);
    when(cancelThread.cancel(Caller.LOCAL_ADMIN, completed.id()))
        .thenThrow(
            new IllegalTransitionException(
                completed.id(), ThreadStatus.COMPLETED, Transition.CANCEL));

    mvc.perform(post("/api/threads/{id}/cancel", completed.id().value()))
        .andExpect(status().isConflict())
        .andExpect(content().contentType("application/problem+json"));
  }

  @Test
  void bulkPassesTheActionAndFilterOnAndAnswersTheCounts() throws Exception {
    UUID named = UUID.randomUUID();
    when(bulkChange.change(any(), any())).thenReturn(new BulkResult(5, 3, 2));

    mvc.perform(
            post("/api/threads/bulk")
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    """
                    { "action": "pause",
                      "filter": { "status": ["running", "pending"], "workflow_type": "research",
                                  "created_before": "2026-11-28T11:00:00+01:00",
                                  "thread_ids": ["%s"] } }
                    """
                        .formatted(named)))
        .andExpect(status().isOk())
        .andExpect(
            content()
                .json("{\"matched\": 5, \"changed\": 3, \"skipped\": 2}", JsonCompareMode.STRICT));

    verify(bulkChange)
        .change(
            Caller.LOCAL_ADMIN,
            new BulkChangeCommand(
                ThreadAction.PAUSE,
                Set.of(ThreadStatus.RUNNING, ThreadStatus.PENDING),
                "research",
                Instant.parse("2026-11-28T10:00:00Z"),
                List.of(new ThreadId(named))));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"action\": \"archive\", \"filter\": {}}",
        "{\"action\": \"pause\"}",
        "{\"filter\": {}}",
        "{\"action\": \"pause\", \"filter\": {\"status\": [\"sleeping\"]}}",
        "{\"action\": \"pause\", \"filter\": {\"created_before\": \"today\"}}",
        "{\"action\": \"pause\", \"filter\": {\"thread_ids\": [\"not-a-uuid\"]}}"
      })
  void aBulkBodyWithAnUnknownActionStatusTimeOrIdIsABadRequest(String body) throws Exception {
    mvc.perform(post("/api/threads/bulk").contentType(MediaType.APPLICATION_JSON).content(body))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentType("application/problem+json"));
    verifyNoInteractions(bulkChange);
  }
}
