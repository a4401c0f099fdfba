package io.orchestro.threads.adapters.rest;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Limits request bodies to 64 KiB, and those of a batch create to 4 MiB (docs/api.md "Conventions",
 * "Many threads at once"). A body that announces a larger Content-Length is refused before a byte
 * of it is read; a body without a length (chunked) is counted while it is read, and reading fails
 * with {@link RequestBodyTooLargeException} once it passes the limit. Both end as a 413 problem
 * from {@link ApiExceptionHandler}.
 *
 * <p>Ordered before Spring's own filters that may read a body (form content).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 100)
class RequestBodyLimitFilter extends OncePerRequestFilter {

  static final long MAX_BODY_BYTES = 64 * 1024;

  static final long MAX_BATCH_BODY_BYTES = 4 * 1024 * 1024;

  static final String BATCH_PATH = "/api/threads/batch";

  private final HandlerExceptionResolver exceptionResolver;

  /**
   * @param exceptionResolver Spring MVC's resolver, so that a refusal here is answered by the same
   *     exception handler, in the same format, as errors inside controllers
   */
  RequestBodyLimitFilter(
      @Qualifier("handlerExceptionResolver") HandlerExceptionResolver exceptionResolver) {
    this.exceptionResolver = exceptionResolver;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long limit = BATCH_PATH.equals(request.getRequestURI()) ? MAX_BATCH_BODY_BYTES : MAX_BODY_BYTES;
    if (request.getContentLengthLong() > limit) {
      var tooLarge = new RequestBodyTooLargeException(limit);
      if (exceptionResolver.resolveException(request, response, null, tooLarge) == null) {
        response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
      }
      return;
    }
    chain.doFilter(new LimitedBodyRequest(request, limit), response);
  }

  /** Hands out the body through a counting stream. */
  private static final class LimitedBodyRequest extends HttpServletRequestWrapper {

    private final long limit;
    private ServletInputStream body;

    LimitedBodyRequest(HttpServletRequest request, long limit) {
      super(request);
      this.limit = limit;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (body == null) {
        body = new CountingInputStream(super.getInputStream(), limit);
      }
      return body;
    }

    @Override
    public BufferedReader getReader() throws IOException {
      String encoding = getCharacterEncoding();
      Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
      return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }
  }

  private static final class CountingInputStream extends ServletInputStream {

    private final ServletInputStream delegate;
    private final long limit;
    private long count;

    CountingInputStream(ServletInputStream delegate, long limit) {
      this.delegate = delegate;
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int next = delegate.read();
      if (next != -1) {
        counted(1);
      }
      return next;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int read = delegate.read(buffer, offset, length);
      if (read > 0) {
        counted(read);
      }
      return read;
    }

    private void counted(int bytes) throws RequestBodyTooLargeException {
      count += bytes;
      if (count > limit) {
        throw new RequestBodyTooLargeException(limit);
      }
    }

    @Override
    public boolean isFinished() {
      return delegate.isFinished();
    }

    @Override
    public boolean isReady() {
      return delegate.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      delegate.setReadListener(listener);
    }
  }
}
