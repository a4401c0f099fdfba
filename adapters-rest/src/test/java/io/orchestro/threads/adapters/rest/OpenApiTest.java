package io.orchestro.threads.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.hasItem;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.orchestro.threads.domain.EventJson;
import io.orchestro.threads.domain.LoggedEvent;
import io.orchestro.threads.domain.Progress;
import io.orchestro.threads.domain.ThreadEvent;
import io.orchestro.threads.domain.ThreadEventType;
import io.orchestro.threads.domain.ThreadId;
import io.orchestro.threads.domain.ThreadStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springdoc.core.configuration.SpringDocConfiguration;
import org.springdoc.core.properties.SpringDocConfigProperties;
import org.springdoc.core.properties.SwaggerUiConfigProperties;
import org.springdoc.core.properties.SwaggerUiOAuthProperties;
import org.springdoc.webmvc.core.configuration.SpringDocWebMvcConfiguration;
import org.springdoc.webmvc.ui.SwaggerConfig;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The API document and Swagger UI that springdoc serves once the application includes it. */
@EveryControllerSlice
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
        .andExpect(jsonPath("$.paths['/api/schedules'].get.summary").exists())
        .andExpect(jsonPath("$.paths['/api/schedules/{name}'].put.summary").exists())
        .andExpect(jsonPath("$.paths['/api/schedules/{name}'].get.summary").exists())
        .andExpect(jsonPath("$.paths['/api/schedules/{name}'].delete.summary").exists())
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
            jsonPath("$.components.schemas.ThreadResponse.properties.allowed_actions.items.enum")
                .value(contains("pause", "resume", "retry", "cancel", "delete")))
        .andExpect(
            jsonPath("$.components.schemas.ThreadSummaryResponse.properties.allowed_actions.type")
                .value("array"))
        .andExpect(
            jsonPath("$.components.schemas.CreateThreadRequest.properties.thread_id.format")
                .value("uuid"))
        .andExpect(
            jsonPath("$.components.schemas.CreateThreadRequest.properties.title.maxLength")
                .value(200));
  }

  @Test
  void apiDocsDescribeTheEventStreamsAndWebhooks() throws Exception {
    mvc.perform(get("/v3/api-docs"))
        .andExpect(status().isOk())
        .andExpect(
            jsonPath(
                    "$.paths['/api/threads/{id}/events'].get.responses['200'].content"
                        + "['text/event-stream']")
                .exists())
        .andExpect(
            jsonPath(
                    "$.paths['/api/threads/{id}/events'].get.responses['200'].content"
                        + "['application/json']")
                .exists())
        .andExpect(
            jsonPath("$.paths['/api/events'].get.parameters[*].name")
                .value(hasItem("Last-Event-ID")))
        .andExpect(
            jsonPath("$.paths['/api/events'].get.parameters[*].name").value(hasItem("thread_id")))
        .andExpect(jsonPath("$.components.schemas.EventResponse.properties.thread_id").exists())
        .andExpect(
            jsonPath("$.components.schemas.EventProgressResponse.properties.current_step").exists())
        .andExpect(jsonPath("$.paths['/api/webhooks'].post.responses['201']").exists())
        .andExpect(jsonPath("$.paths['/api/webhooks/{id}/deliveries'].get.summary").exists())
        .andExpect(jsonPath("$.components.schemas.WebhookRequest.properties.event_types").exists())
        .andExpect(
            jsonPath("$.components.schemas.WebhookResponse.properties.secret.description")
                .value(containsString("only in the answer to its registration")));
  }

  /** The document describes the event with exactly the fields of the JSON the streams send. */
  @Test
  void theEventSchemaNamesTheFieldsOfTheEventsSent() throws Exception {
    String docs = mvc.perform(get("/v3/api-docs")).andReturn().getResponse().getContentAsString();
    JsonNode schemas = JsonMapper.builder().build().readTree(docs).get("components").get("schemas");
    Map<String, Object> sent =
        EventJson.of(
            new LoggedEvent(
                1,
                new ThreadEvent(
                    ThreadEventType.STEP_STARTED,
                    ThreadId.generate(),
                    Instant.EPOCH,
                    ThreadStatus.RUNNING,
                    "a",
                    Progress.of(0, 2, "a"))));

    Map<String, Object> progressSent =
        EventJson.of(
            new LoggedEvent(
                2,
                ThreadEvent.stepProgress(
                    ThreadId.generate(),
                    Instant.EPOCH,
                    ThreadStatus.RUNNING,
                    "a",
                    Progress.of(0, 2, "a"),
                    1,
                    "so far")));

    assertThat(propertyNames(schemas.get("EventResponse")))
        .containsExactlyInAnyOrderElementsOf(progressSent.keySet())
        .containsAll(sent.keySet());
    assertThat(propertyNames(schemas.get("EventProgressResponse")))
        .containsExactlyInAnyOrderElementsOf(
            ((Map<?, ?>) sent.get("progress")).keySet().stream().map(String::valueOf).toList());
  }

  private static List<String> propertyNames(JsonNode schema) {
    return schema.get("properties").properties().stream().map(Map.Entry::getKey).toList();
  }

  @Test
  void theDocumentDeclaresTheBearerCredentialForEveryEndpoint() throws Exception {
    mvc.perform(get("/v3/api-docs"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.components.securitySchemes.bearer.type").value("http"))
        .andExpect(jsonPath("$.components.securitySchemes.bearer.scheme").value("bearer"))
        .andExpect(jsonPath("$.security[0].bearer").isArray());
  }

  @Test
  void swaggerUiIsServedAtTheUsualPath() throws Exception {
    mvc.perform(get("/swagger-ui.html"))
        .andExpect(status().is3xxRedirection())
        .andExpect(header().string("Location", endsWith("/swagger-ui/index.html")));
    mvc.perform(get("/swagger-ui/index.html")).andExpect(status().isOk());
  }
}
