package io.orchestro.threads.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of {@code /actuator/prometheus}, read as Prometheus reads it: each sample line is a
 * name, its labels and a value.
 */
final class PrometheusScrape {

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\d+)?$");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private record Sample(String name, Map<String, String> labels, double value) {}

  private final List<Sample> samples = new ArrayList<>();

  /** Scrapes the service as Prometheus does, in its text format. */
  static PrometheusScrape of(ApiClient api) {
    ApiClient.Reply reply = api.get("/actuator/prometheus", "Accept", "text/plain");
    assertThat(reply.status()).isEqualTo(200);
    return new PrometheusScrape(reply.raw().body());
  }

  PrometheusScrape(String exposition) {
    for (String line : exposition.split("\n")) {
      Matcher sample = SAMPLE.matcher(line.strip());
      if (line.startsWith("#") || !sample.matches()) {
        continue;
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (sample.group(2) != null) {
        Matcher label = LABEL.matcher(sample.group(2));
        while (label.find()) {
          labels.put(label.group(1), label.group(2));
        }
      }
      samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(3))));
    }
  }

  /**
   * The value of the sample with this name whose labels include {@code labels}; 0 when there is
   * none yet (a counter nobody incremented is not exported).
   *
   * @throws IllegalStateException when several samples match: the labels given are not enough
   */
  double value(String name, Map<String, String> labels) {
    List<Sample> matching =
        samples.stream()
            .filter(sample -> sample.name().equals(name))
            .filter(sample -> sample.labels().entrySet().containsAll(labels.entrySet()))
            .toList();
    if (matching.size() > 1) {
      throw new IllegalStateException(matching.size() + " samples match " + name + labels);
    }
    return matching.isEmpty() ? 0 : matching.get(0).value();
  }

  boolean has(String name) {
    return samples.stream().anyMatch(sample -> sample.name().equals(name));
  }
}
