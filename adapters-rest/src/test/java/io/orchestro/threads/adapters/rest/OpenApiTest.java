package io.orchestro.threads.adapters.rest;

import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasItem;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.orchestro.threads.application.port.in.CreateThreadUseCase;
import io.orchestro.threads.application.port.in.DeleteThreadUseCase;
import io.orchestro.threads.application.port.in.GetThreadUseCase;
import io.orchestro.threads.application.port.in.GetWorkflowUseCase;
import io.orchestro.threads.application.port.in.ListThreadsUseCase;
import io.orchestro.threads.application.port.in.ListWorkflowsUseCase;
import io.orchestro.threads.application.port.in.PauseThreadUseCase;
import io.orchestro.threads.application.port.in.PutWorkflowUseCase;
import io.orchestro.threads.application.port.in.ResumeThreadUseCase;
import io.orchestro.threads.application.port.in.RetryThreadUseCase;
import io.orchestro.threads.application.port.in.WatchEventsUseCase;
import org.junit.jupiter.api.Test;
import org.springdoc.core.configuration.SpringDocConfiguration;
import org.springdoc.core.properties.SpringDocConfigProperties;
import org.springdoc.core.properties.SwaggerUiConfigProperties;
import org.springdoc.core.properties.SwaggerUiOAuthProperties;
import org.springdoc.webmvc.core.configuration.SpringDocWebMvcConfiguration;
import org.springdoc.webmvc.ui.SwaggerConfig;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The API document and Swagger UI that springdoc serves once the application includes it. */
@WebMvcTest
@ImportAutoConfiguration({
  SpringDocConfiguration.class,
  SpringDocConfigProperties.class,
  SpringDocWebMvcConfiguration.class,
  SwaggerConfig.class,
  SwaggerUiConfigProperties.class,
  SwaggerUiOAuthProperties.class
})
class OpenApiTest {

  @Autowired private MockMvc mvc;

  @MockitoBean private CreateThreadUseCase createThread;
  @MockitoBean private ListThreadsUseCase listThreads;
  @MockitoBean private GetThreadUseCase getThread;
  @MockitoBean private PauseThreadUseCase pauseThread;
  @MockitoBean private ResumeThreadUseCase resumeThread;
  @MockitoBean private RetryThreadUseCase retryThread;
  @MockitoBean private DeleteThreadUseCase deleteThread;
  @MockitoBean private ListWorkflowsUseCase listWorkflows;
  @MockitoBean private GetWorkflowUseCase getWorkflow;
  @MockitoBean private PutWorkflowUseCase putWorkflow;
  @MockitoBean private WatchEventsUseCase watchEvents;

  @Test
  void apiDocsDescribeEveryEndpointWithItsSummaryAndSnakeCaseSchemas() throws Exception {
    mvc.perform(get("/v3/api-docs"))
        .andExpect(status().isOk())
        .andExpect(
            jsonPath("$.paths['/api/threads'].post.summary").value("Create a thread and queue it"))
        .andExpect(jsonPath("$.paths['/api/threads'].get.summary").exists())
        .andExpect(jsonPath("$.paths['/api/threads/{id}'].get.summary").exists())
        .andExpect(jsonPath("$.paths['/api/threads/{id}'].delete.summary").exists())
        .andExpect(jsonPath("$.paths['/api/threads/{id}/pause'].post.summary").exists())
        .andExpect(jsonPath("$.paths['/api/threads/{id}/resume'].post.summary").exists())
        .andExpect(jsonPath("$.paths['/api/threads/{id}/retry'].post.summary").exists())
        .andExpect(jsonPath("$.paths['/api/workflows'].get.summary").exists())
        .andExpect(jsonPath("$.paths['/api/workflows/{type}'].get.summary").exists())
        .andExpect(jsonPath("$.paths['/api/workflows/{type}'].put.summary").exists())
        .andExpect(jsonPath("$.paths['/error']").doesNotExist())
        .andExpect(jsonPath("$.info.title").value("Orchestro Threads"))
        .andExpect(jsonPath("$.paths['/api/threads'].post.operationId").value("createThread"))
        .andExpect(jsonPath("$.paths['/api/threads'].post.responses['201']").exists())
        .andExpect(
            jsonPath("$.paths['/api/threads'].post.requestBody.content['application/json']")
                .exists())
        .andExpect(jsonPath("$.paths['/api/threads/{id}'].delete.responses['204']").exists())
        .andExpect(jsonPath("$.paths['/api/workflows/{type}'].put.responses['201']").exists())
        .andExpect(jsonPath("$.components.schemas.ThreadStepResponse.properties.attempts").exists())
        .andExpect(
            jsonPath("$.components.schemas.StepDefinitionResponse.properties.timeout_millis")
                .exists())
        .andExpect(
            jsonPath("$.paths['/api/threads'].get.parameters[*].name")
                .value(hasItem("workflow_type")))
        .andExpect(jsonPath("$.components.schemas.ThreadResponse.properties.thread_id").exists())
        .andExpect(jsonPath("$.components.schemas.ThreadResponse.properties.current_step").exists())
        .andExpect(
            jsonPath("$.components.schemas.CreateThreadRequest.properties.thread_id.format")
                .value("uuid"))
        .andExpect(
            jsonPath("$.components.schemas.CreateThreadRequest.properties.title.maxLength")
                .value(200));
  }

  @Test
  void swaggerUiIsServedAtTheUsualPath() throws Exception {
    mvc.perform(get("/swagger-ui.html"))
        .andExpect(status().is3xxRedirection())
        .andExpect(header().string("Location", endsWith("/swagger-ui/index.html")));
    mvc.perform(get("/swagger-ui/index.html")).andExpect(status().isOk());
  }
}
