package io.orchestro.threads.adapters.rest;

import io.orchestro.threads.application.port.in.CreateThreadsUseCase;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** The body of {@code POST /api/threads/batch}: create bodies, each as for a single create. */
record CreateThreadsRequest(
    @ArraySchema(
            schema = @Schema(implementation = CreateThreadRequest.class),
            maxItems = CreateThreadsUseCase.MAX_THREADS,
            arraySchema = @Schema(description = "The threads to create, at most 1,000"))
        @NotNull(message = "is required")
        @Size(max = CreateThreadsUseCase.MAX_THREADS, message = "must hold at most {max} threads")
        List<@NotNull(message = "must be an object") @Valid CreateThreadRequest> threads) {}
