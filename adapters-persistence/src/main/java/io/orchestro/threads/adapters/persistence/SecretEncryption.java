package io.orchestro.threads.adapters.persistence;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts the secrets the store keeps (webhooks' signing keys) with AES-256-GCM, so that a copy of
 * the database or of the JSON directory does not give them away. A stored value is {@code enc:v1:}
 * and the base64 of a random 12-byte nonce followed by the ciphertext and its tag. The value is
 * bound to what it belongs to (its {@code context}, a webhook's id): moved to another row, it no
 * longer decrypts.
 */
public final class SecretEncryption {

  private static final String PREFIX = "enc:v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param key 32 bytes
   */
  public SecretEncryption(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException(
          "the key that encrypts stored secrets must be 32 bytes (base64 of 32 random bytes), not "
              + key.length);
    }
    this.key = new SecretKeySpec(key.clone(), "AES");
  }

  /** A new random key, base64: for a key file, or to put into the configuration. */
  public static String newKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  public String encrypt(String secret, String context) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, context);
      byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      byte[] stored = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
      System.arraycopy(sealed, 0, stored, NONCE_BYTES, sealed.length);
      return PREFIX + Base64.getEncoder().encodeToString(stored);
    } catch (GeneralSecurityException impossible) {
      // every JDK has AES-GCM, and the key's size was checked
      throw new IllegalStateException(impossible);
    }
  }

  /** Whether a stored value is encrypted, rather than a secret stored before secrets were. */
  public static boolean isEncrypted(String stored) {
    return stored.startsWith(PREFIX);
  }

  /**
   * The secret of a stored value. A value without the {@code enc:v1:} prefix was stored before
   * secrets were encrypted, and is returned as it is.
   *
   * @throws IllegalStateException when the value was encrypted with another key, or changed
   */
  public String decrypt(String stored, String context) {
    if (!isEncrypted(stored)) {
      return stored;
    }
    try {
      byte[] bytes = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
      Cipher cipher = cipher(Cipher.DECRYPT_MODE, Arrays.copyOf(bytes, NONCE_BYTES), context);
      byte[] secret = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
      return new String(secret, StandardCharsets.UTF_8);
    } catch (AEADBadTagException | IllegalArgumentException wrongKey) {
      throw new IllegalStateException(
          "a stored secret of "
              + context
              + " cannot be decrypted: it was encrypted with another key than"
              + " orchestro.encryption.key (or the key file) gives now, or it was changed");
    } catch (GeneralSecurityException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  private Cipher cipher(int mode, byte[] nonce, String context) throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
    return cipher;
  }
}
