package io.orchestro.threads.adapters.rest;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URISyntaxException;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Answers the servlet container's error page as a problem too. Errors inside Spring MVC never get
 * here ({@link ApiExceptionHandler} answers them); this covers what fails outside it, such as an
 * exception in a servlet filter or a {@code sendError} by the container. Replaces Spring Boot's
 * {@code BasicErrorController}, whose JSON is not a problem.
 */
@Hidden
@RestController
class ProblemErrorController implements ErrorController {

  @RequestMapping("${server.error.path:${error.path:/error}}")
  ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
    HttpStatus status = statusOf(request);
    String detail =
        status.is5xxServerError()
            ? "The server failed to handle the request."
            : status.getReasonPhrase() + ".";
    ProblemDetail problem = ApiExceptionHandler.problem(status, detail);
    problem.setInstance(originalUri(request));
    // the content type is set, not negotiated: a client that accepts only HTML still gets this
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }

  /** The path the client asked for, not {@code /error}; null when there is none to show. */
  private static URI originalUri(HttpServletRequest request) {
    if (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String path) {
      try {
        return new URI(path);
      } catch (URISyntaxException unparsable) {
        return null;
      }
    }
    return null;
  }

  private static HttpStatus statusOf(HttpServletRequest request) {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    HttpStatus status = code instanceof Integer number ? HttpStatus.resolve(number) : null;
    return status == null || !status.isError() ? HttpStatus.INTERNAL_SERVER_ERROR : status;
  }
}
