package io.orchestro.threads.adapters.rest;

import io.orchestro.threads.application.port.in.GetWorkflowUseCase;
import io.orchestro.threads.application.port.in.ListWorkflowsUseCase;
import io.orchestro.threads.application.port.in.PutWorkflowUseCase;
import io.orchestro.threads.application.port.in.PutWorkflowUseCase.PutWorkflowResult;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Workflow definitions: the newest version of each type, and storing new versions. JSON only, as in
 * {@link ThreadController}.
 */
@Tag(name = "Workflows", description = "The workflow definitions that threads can use")
@RestController
@RequestMapping(path = "/api/workflows", produces = MediaType.APPLICATION_JSON_VALUE)
class WorkflowController {

  private final ListWorkflowsUseCase listWorkflows;
  private final GetWorkflowUseCase getWorkflow;
  private final PutWorkflowUseCase putWorkflow;

  WorkflowController(
      ListWorkflowsUseCase listWorkflows,
      GetWorkflowUseCase getWorkflow,
      PutWorkflowUseCase putWorkflow) {
    this.listWorkflows = listWorkflows;
    this.getWorkflow = getWorkflow;
    this.putWorkflow = putWorkflow;
  }

  @Operation(
      operationId = "listWorkflows",
      summary = "List the newest version of every workflow type")
  @GetMapping
  List<WorkflowResponse> list() {
    return listWorkflows.list().stream().map(WorkflowResponse::from).toList();
  }

  @Operation(operationId = "getWorkflow", summary = "Get the newest version of a workflow type")
  @GetMapping("/{type}")
  WorkflowResponse get(@PathVariable String type) {
    return WorkflowResponse.from(getWorkflow.get(type));
  }

  @Operation(
      operationId = "putWorkflow",
      summary = "Create or replace a workflow definition",
      description =
          "Stores a new version: 201 when the type is new, otherwise 200. The version is assigned"
              + " by the server; sending the newest version's content again changes nothing.")
  @ApiResponse(responseCode = "201", description = "A new workflow type")
  @ApiResponse(responseCode = "200", description = "A new version of a known type, or no change")
  @PutMapping(path = "/{type}", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<WorkflowResponse> put(
      @PathVariable String type, @Valid @RequestBody PutWorkflowRequest request) {
    PutWorkflowResult result = putWorkflow.put(request.toCommand(type));
    WorkflowResponse body = WorkflowResponse.from(result.definition());
    if (!result.created()) {
      return ResponseEntity.ok(body);
    }
    return ResponseEntity.created(URI.create("/api/workflows/" + body.type())).body(body);
  }
}
