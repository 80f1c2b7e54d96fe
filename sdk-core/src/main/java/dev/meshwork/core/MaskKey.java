package dev.meshwork.core;

import dev.meshwork.spi.SecretProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret that {@code hash} masks are keyed with: a masked value is HMAC-SHA-256 under a key
 * derived from this one for the mask's scope (a grant, by default), so nobody without the key can
 * recompute a hash from a guessed value, and consumers in different scopes get hashes that do not
 * join. Never printed: {@link #toString()} shows only where the key came from.
 *
 * <p>Configured by setting {@value #SETTING} (environment {@code MESHWORK_MASK_KEY}) or {@value
 * #FILE_SETTING} (a file holding the key), or by a {@link SecretProvider}; at least {@value
 * #MIN_BYTES} bytes. A mesh without one uses a random key of its own process (hashes then differ
 * between processes) and says so in a warning.
 */
public final class MaskKey {
  /** The setting holding the key itself. */
  public static final String SETTING = "meshwork.mask.key";

  /** The setting naming a file that holds the key (surrounding white space ignored). */
  public static final String FILE_SETTING = "meshwork.mask.key-file";

  /** The shortest key accepted, in bytes. */
  public static final int MIN_BYTES = 16;

  private static final byte[] DERIVATION = "meshwork/mask/v1/".getBytes(StandardCharsets.UTF_8);

  private final byte[] key;
  private final String origin;

  private MaskKey(byte[] key, String origin) {
    this.key = key;
    this.origin = origin;
  }

  /** A key of these bytes (copied); {@code origin} says where it came from, for messages. */
  public static MaskKey of(byte[] secret, String origin) {
    if (secret.length < MIN_BYTES) {
      throw new MeshworkException(
          "Cannot use the mask key from "
              + origin
              + ": it has "
              + secret.length
              + " bytes and needs at least "
              + MIN_BYTES
              + ". Generate one with: openssl rand -hex 32");
    }
    return new MaskKey(secret.clone(), origin);
  }

  /** A key whose bytes are the UTF-8 encoding of {@code secret}. */
  public static MaskKey of(String secret, String origin) {
    return of(secret.getBytes(StandardCharsets.UTF_8), origin);
  }

  /** A random key that lives as long as this object: hashes agree only within one process. */
  public static MaskKey random() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return new MaskKey(b, "a random key of this process");
  }

  /**
   * The key configured by {@code provider} (asked for {@value #SETTING}) or by the settings {@value
   * #SETTING} or {@value #FILE_SETTING}, in that order; empty when none is.
   */
  public static Optional<MaskKey> configured(Settings settings, SecretProvider provider) {
    if (provider != null) {
      Optional<String> s = provider.secret(SETTING);
      if (s.isPresent() && !s.get().isBlank()) {
        return Optional.of(of(s.get().strip(), "the secret provider (" + SETTING + ")"));
      }
    }
    Optional<String> inline = settings.get(SETTING);
    Optional<Path> file = settings.path(FILE_SETTING);
    if (inline.isPresent() && file.isPresent()) {
      throw settings.error(
          FILE_SETTING,
          "Set either "
              + SETTING
              + " or "
              + FILE_SETTING
              + ", not both: the mask key must have one source");
    }
    if (inline.isPresent()) {
      return Optional.of(of(inline.get().strip(), SETTING + " (" + settings.source(SETTING) + ")"));
    }
    if (file.isPresent()) {
      String text;
      try {
        text = Files.readString(file.get(), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw settings.error(
            FILE_SETTING,
            "Cannot read the mask key file "
                + file.get().toAbsolutePath()
                + " ("
                + e.getClass().getSimpleName()
                + "); check that it exists and that this process may read it");
      }
      return Optional.of(of(text, "file " + file.get().toAbsolutePath()));
    }
    return Optional.empty();
  }

  /**
   * The key of one scope, HMAC-SHA-256 of {@code meshwork/mask/v1/<scope>} under this key: what a
   * reader in that scope hashes with, and what an export to another engine (Trino's {@code
   * hmac_sha256}) needs to produce the same hashes. As secret as the key itself.
   */
  public byte[] derive(String scope) {
    byte[] s = scope.getBytes(StandardCharsets.UTF_8);
    byte[] message = Arrays.copyOf(DERIVATION, DERIVATION.length + s.length);
    System.arraycopy(s, 0, message, DERIVATION.length, s.length);
    return hmac(key, message);
  }

  /** HMAC-SHA-256 of {@code message} under {@code key}. */
  public static byte[] hmac(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** Where the key came from, never the key. */
  public String origin() {
    return origin;
  }

  @Override
  public String toString() {
    return "MaskKey[from " + origin + "]";
  }
}
