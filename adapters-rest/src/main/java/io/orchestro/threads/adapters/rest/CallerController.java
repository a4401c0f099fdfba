package io.orchestro.threads.adapters.rest;

import io.orchestro.threads.domain.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Locale;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Who the request's credential acts for: the dashboard shows it and hides what the role cannot. */
@Tag(name = "Caller", description = "Who is calling")
@RestController
class CallerController {

  private final CurrentCaller currentCaller;

  CallerController(CurrentCaller currentCaller) {
    this.currentCaller = currentCaller;
  }

  /** The owner and the role ({@code viewer}, {@code operator} or {@code admin}). */
  record CallerResponse(String owner, String role) {
    static CallerResponse from(Caller caller) {
      return new CallerResponse(caller.owner(), caller.role().name().toLowerCase(Locale.ROOT));
    }
  }

  @Operation(operationId = "getCaller", summary = "Who the request's credential acts for")
  @GetMapping(path = "/api/me", produces = MediaType.APPLICATION_JSON_VALUE)
  CallerResponse me() {
    return CallerResponse.from(currentCaller.get());
  }
}
