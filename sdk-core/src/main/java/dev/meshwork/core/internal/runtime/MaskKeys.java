package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.MaskKey;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A mesh's mask key, configured or a random one of this process; the first hash mask keyed with a
 * random one says, once, that its hashes will not match another process's.
 */
public final class MaskKeys {
  private static final Logger LOG = LoggerFactory.getLogger(MaskKeys.class);

  private final MaskKey key;
  private final boolean configured;
  private final AtomicBoolean warned = new AtomicBoolean();

  private MaskKeys(MaskKey key, boolean configured) {
    this.key = key;
    this.configured = configured;
  }

  /** The configured key, or (when null) a random one. */
  public static MaskKeys of(MaskKey configuredKey) {
    return configuredKey != null
        ? new MaskKeys(configuredKey, true)
        : new MaskKeys(MaskKey.random(), false);
  }

  /** The key of {@code scope}. */
  byte[] derive(String scope) {
    if (!configured && warned.compareAndSet(false, true)) {
      LOG.warn(
          "A hash mask is keyed with a random key of this process: its hashes differ from those of"
              + " any other process and will not join across runs. Set "
              + MaskKey.SETTING
              + " (environment MESHWORK_MASK_KEY) or "
              + MaskKey.FILE_SETTING
              + " to a secret of at least "
              + MaskKey.MIN_BYTES
              + " bytes, shared by every process that must produce the same hashes.");
    }
    return key.derive(scope);
  }

  @Override
  public String toString() {
    return key.toString();
  }
}
