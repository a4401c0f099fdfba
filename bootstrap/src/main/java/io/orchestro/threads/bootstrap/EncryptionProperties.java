package io.orchestro.threads.bootstrap;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code orchestro.encryption.*}: the key that encrypts the secrets the store keeps (webhooks'
 * signing keys).
 *
 * @param key the base64 of 32 random bytes ({@code openssl rand -base64 32}); every node sharing a
 *     database needs the same one
 * @param keyFile where the key is kept when {@code key} is not set: read from there, or made and
 *     written there on first start; {@code ~/.orchestro/encryption.key} by default, outside the
 *     store so that a copy of the store does not carry it
 */
@ConfigurationProperties("orchestro.encryption")
public record EncryptionProperties(String key, Path keyFile) {}
