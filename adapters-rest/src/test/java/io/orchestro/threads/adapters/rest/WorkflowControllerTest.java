package io.orchestro.threads.adapters.rest;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.orchestro.threads.application.port.in.GetWorkflowUseCase;
import io.orchestro.threads.application.port.in.ListWorkflowsUseCase;
import io.orchestro.threads.application.port.in.PutWorkflowUseCase;
import io.orchestro.threads.application.port.in.PutWorkflowUseCase.PutWorkflowCommand;
import io.orchestro.threads.application.port.in.PutWorkflowUseCase.PutWorkflowResult;
import io.orchestro.threads.domain.RetryPolicy;
import io.orchestro.threads.domain.StepDefinition;
import io.orchestro.threads.domain.TestWorkflows;
import io.orchestro.threads.domain.WorkflowDefinition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(WorkflowController.class)
class WorkflowControllerTest {

  @Autowired private MockMvc mvc;

  @MockitoBean private ListWorkflowsUseCase listWorkflows;
  @MockitoBean private GetWorkflowUseCase getWorkflow;
  @MockitoBean private PutWorkflowUseCase putWorkflow;

  private static final List<StepDefinition> RESEARCH_STEPS =
      List.of(
          new StepDefinition("plan", "delay", Map.of("millis", 500), null, null),
          new StepDefinition(
              "draft",
              "echo",
              Map.of("template", "Draft for {{prompt}}"),
              new RetryPolicy(3, 200),
              30_000L));

  private static final WorkflowDefinition RESEARCH =
      new WorkflowDefinition(
          "research", 3, "Plan and draft.", List.of("research", "compare"), RESEARCH_STEPS);

  private static final String RESEARCH_JSON =
      """
      { "type": "research", "version": 3, "description": "Plan and draft.",
        "keywords": ["research", "compare"],
        "steps": [
          { "name": "plan", "agent": "delay", "config": { "millis": 500 },
            "retry": { "max_attempts": 1, "backoff_millis": 0 }, "timeout_millis": null },
          { "name": "draft", "agent": "echo", "config": { "template": "Draft for {{prompt}}" },
            "retry": { "max_attempts": 3, "backoff_millis": 200 }, "timeout_millis": 30000 }
        ] }
      """;

  @Test
  void listAnswersEveryDefinition() throws Exception {
    when(listWorkflows.list()).thenReturn(List.of(RESEARCH, TestWorkflows.definition("test", "a")));

    mvc.perform(get("/api/workflows"))
        .andExpect(status().isOk())
        .andExpect(
            content()
                .json(
                    "["
                        + RESEARCH_JSON
                        + """
                        , { "type": "test", "version": 1, "description": "test workflow test",
                            "keywords": ["test"],
                            "steps": [ { "name": "a", "agent": "delay", "config": { "millis": 0 },
                              "retry": { "max_attempts": 1, "backoff_millis": 0 },
                              "timeout_millis": null } ] } ]
                        """,
                    JsonCompareMode.STRICT));
  }

  @Test
  void getAnswersOneDefinition() throws Exception {
    when(getWorkflow.get("research")).thenReturn(RESEARCH);

    mvc.perform(get("/api/workflows/research"))
        .andExpect(status().isOk())
        .andExpect(content().json(RESEARCH_JSON, JsonCompareMode.STRICT));
  }

  @Test
  void putOfANewTypeAnswers201AndIgnoresTheVersionSent() throws Exception {
    when(putWorkflow.put(any())).thenReturn(new PutWorkflowResult(RESEARCH, true));

    mvc.perform(
            put("/api/workflows/research")
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    """
                    { "type": "research", "version": 99, "description": "Plan and draft.",
                      "keywords": ["research", "compare"],
                      "steps": [
                        { "name": "plan", "agent": "delay", "config": { "millis": 500 } },
                        { "name": "draft", "agent": "echo",
                          "config": { "template": "Draft for {{prompt}}" },
                          "retry": { "max_attempts": 3, "backoff_millis": 200 },
                          "timeout_millis": 30000 } ] }
                    """))
        .andExpect(status().isCreated())
        .andExpect(header().string("Location", "/api/workflows/research"))
        .andExpect(content().json(RESEARCH_JSON, JsonCompareMode.STRICT));

    verify(putWorkflow)
        .put(
            new PutWorkflowCommand(
                "research", "Plan and draft.", List.of("research", "compare"), RESEARCH_STEPS));
  }

  @Test
  void putOfAKnownTypeAnswers200AndTheTypeMayBeLeftOut() throws Exception {
    when(putWorkflow.put(any())).thenReturn(new PutWorkflowResult(RESEARCH, false));

    mvc.perform(
            put("/api/workflows/research")
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    """
                    { "steps": [ { "name": "plan", "agent": "delay",
                                   "retry": { "backoff_millis": 50 } } ] }
                    """))
        .andExpect(status().isOk())
        .andExpect(header().doesNotExist("Location"))
        .andExpect(content().json(RESEARCH_JSON, JsonCompareMode.STRICT));

    verify(putWorkflow)
        .put(
            new PutWorkflowCommand(
                "research",
                null,
                null,
                List.of(new StepDefinition("plan", "delay", null, new RetryPolicy(1, 50), null))));
  }
}
