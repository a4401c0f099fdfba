package io.orchestro.threads.bootstrap;

import io.orchestro.threads.adapters.persistence.EncryptingWebhookStore;
import io.orchestro.threads.adapters.persistence.SecretEncryption;
import io.orchestro.threads.application.port.out.WebhookStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Secrets at rest: the store's webhooks pass through {@link EncryptingWebhookStore}, which keeps
 * their secrets encrypted with the key of {@code orchestro.encryption.key}, or else of a key file
 * made on first start ({@link EncryptionProperties}).
 */
@Configuration(proxyBeanMethods = false)
class EncryptionConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(EncryptionConfiguration.class);

  @Bean
  SecretEncryption secretEncryption(EncryptionProperties properties) {
    String key = properties.key();
    if (key == null || key.isBlank()) {
      Path file =
          properties.keyFile() != null
              ? properties.keyFile()
              : Path.of(System.getProperty("user.home"), ".orchestro", "encryption.key");
      key = keyFromFile(file);
    }
    try {
      return new SecretEncryption(Base64.getDecoder().decode(key.strip()));
    } catch (IllegalArgumentException notBase64) {
      throw new IllegalStateException(
          "orchestro.encryption.key must be the base64 of 32 random bytes: "
              + notBase64.getMessage());
    }
  }

  /** The store's webhooks, their secrets encrypted: what every user of the port gets. */
  @Bean
  @Primary
  EncryptingWebhookStore encryptingWebhookStore(
      @Qualifier("webhookStore") WebhookStore store, SecretEncryption encryption) {
    return new EncryptingWebhookStore(store, encryption);
  }

  /**
   * On start, the secrets an earlier version stored in the clear are encrypted in place, so that a
   * copy of the store made from then on gives none away.
   */
  @Bean
  ApplicationRunner secretsStoredInTheClearEncrypted(EncryptingWebhookStore webhooks) {
    return arguments -> {
      int encrypted = webhooks.encryptSecretsStoredInTheClear();
      if (encrypted > 0) {
        LOG.info(
            "Encrypted {} webhook secret(s) that an earlier version stored in the clear",
            encrypted);
      }
    };
  }

  private static String keyFromFile(Path file) {
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try {
          Files.writeString(
              file,
              SecretEncryption.newKey() + "\n",
              StandardCharsets.US_ASCII,
              java.nio.file.StandardOpenOption.CREATE_NEW,
              java.nio.file.StandardOpenOption.WRITE);
          ownerOnly(file);
          LOG.warn(
              "No orchestro.encryption.key: stored secrets are encrypted with a new key written to"
                  + " {}. Keep it safe (without it they cannot be read); nodes sharing a database"
                  + " need the same key in orchestro.encryption.key",
              file);
        } catch (FileAlreadyExistsException anotherNodeWroteIt) {
          // another process on this machine made it a moment ago: use theirs
        }
      }
      return Files.readString(file, StandardCharsets.US_ASCII).strip();
    } catch (IOException unreadable) {
      throw new UncheckedIOException(
          "the key file of stored secrets " + file + " cannot be read or made", unreadable);
    }
  }

  private static void ownerOnly(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // Windows: the user's profile directory is private already
    }
  }
}
