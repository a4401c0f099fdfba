package io.orchestro.threads.bootstrap;

import io.orchestro.threads.adapters.security.ApiKey;
import io.orchestro.threads.adapters.security.Rate;
import io.orchestro.threads.adapters.security.RequestLimits;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code orchestro.security.*}: the credentials the service accepts (README "Running it safely").
 *
 * @param apiKeys API keys, each its SHA-256 ({@code sha256}), {@code role} and {@code owner}; none
 *     and no JWT configured: protected mode, only loopback clients are served
 * @param jwt how a JWT's claims name the caller's role
 * @param limits limits against abuse
 * @param cors which other sites' pages may use the API; none by default
 */
@ConfigurationProperties("orchestro.security")
public record AccessProperties(
    @DefaultValue List<ApiKey> apiKeys,
    @DefaultValue Jwt jwt,
    @DefaultValue Limits limits,
    @DefaultValue Cors cors) {

  /**
   * @param allowedOrigins the exact origins ({@code https://app.example.org}) whose pages may call
   *     the API from a browser; none: CORS is off
   */
  public record Cors(@DefaultValue List<String> allowedOrigins) {}

  /**
   * @param rolesClaim the claim that lists the roles ({@code viewer}, {@code operator}, {@code
   *     admin}), as a list of strings or one string separated by spaces
   */
  public record Jwt(@DefaultValue("roles") String rolesClaim) {}

  /**
   * @param createThreads how fast one caller may create threads (a batch counts once), {@code
   *     N/PERIOD}
   * @param openStreams how fast one caller may open event streams
   * @param streamsPerCaller how many event streams one caller may hold open at once
   * @param streamsPerNode how many event streams this node holds open at once
   */
  public record Limits(
      @DefaultValue("600/1m") String createThreads,
      @DefaultValue("120/1m") String openStreams,
      @DefaultValue("20") int streamsPerCaller,
      @DefaultValue("1000") int streamsPerNode) {

    RequestLimits toRequestLimits() {
      return new RequestLimits(
          Rate.parse(createThreads), Rate.parse(openStreams), streamsPerCaller, streamsPerNode);
    }
  }
}
