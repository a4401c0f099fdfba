package io.orchestro.threads.adapters.persistence.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestro.threads.adapters.persistence.WebhookStoreContractTest;
import io.orchestro.threads.application.port.out.WebhookStore;
import io.orchestro.threads.domain.Webhook;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The webhook store contract on JSON files, and their survival of a restart. */
class JsonFileWebhookStoreTest extends WebhookStoreContractTest {

  @RegisterExtension final FreshStores stores = new FreshStores();
  private JsonStoreDirectory opened;

  @Override
  protected WebhookStore emptyStore() {
    opened = stores.openEmpty();
    return opened.webhooks();
  }

  @Override
  protected String rawStoredText() {
    StringBuilder raw = new StringBuilder();
    try (Stream<Path> files = Files.walk(opened.directory())) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        raw.append(Files.readString(file, StandardCharsets.UTF_8)).append('\n');
      }
    } catch (IOException unreadable) {
      throw new UncheckedIOException(unreadable);
    }
    return raw.toString();
  }

  @Test
  void webhooksAndTheirProgressSurviveARestart() {
    Webhook webhook = webhook(Set.of());
    store.insert(webhook);
    store.saveProgress(webhook.handledUpTo(42), webhook.deliveredUpTo());

    JsonStoreDirectory reopened = stores.reopen(opened);

    assertThat(reopened.webhooks().find(webhook.id())).contains(webhook.handledUpTo(42));
    assertThat(reopened.damagedFiles()).isEmpty();
  }
}
