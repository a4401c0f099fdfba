package io.orchestro.threads.adapters.rest;

import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * Reads request bodies strictly, so that a client's mistake is a 400 and not a guess: no coercion
 * between JSON types ({@code {"prompt": 12}}, {@code "3"} for a number, {@code 1.5} for an integer,
 * {@code ""} for an object or UUID), no unknown properties, no duplicate keys.
 *
 * <p>The settings go to the HTTP converter only, built from a copy of the application's {@link
 * JsonMapper}: the shared mapper bean keeps Spring Boot's configuration, so other adapters that use
 * it are not affected. Spring MVC calls this configurer after Spring Boot's (which is ordered 0),
 * so this JSON converter replaces the default one.
 */
@Component
class StrictJsonConfigurer implements WebMvcConfigurer {

  private final JsonMapper strictMapper;

  StrictJsonConfigurer(JsonMapper jsonMapper) {
    this.strictMapper = strict(jsonMapper.rebuild()).build();
  }

  static JsonMapper.Builder strict(JsonMapper.Builder builder) {
    return builder
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        // strings to numbers or booleans, and numbers to booleans
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        // numbers and booleans to strings: Jackson does not count text as a scalar above
        .withCoercionConfig(
            LogicalType.Textual,
            config ->
                config
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
        // "" would otherwise become null for a UUID, a map or a list
        .withCoercionConfigDefaults(
            config -> config.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
  }

  @Override
  public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
    builder.withJsonConverter(new JacksonJsonHttpMessageConverter(strictMapper));
  }
}
