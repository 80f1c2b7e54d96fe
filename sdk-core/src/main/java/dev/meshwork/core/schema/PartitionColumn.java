package dev.meshwork.core.schema;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A partition column with its transform: {@code identity}, {@code year}, {@code month}, {@code
 * day}, {@code hour}, {@code bucket[N]} or {@code truncate[N]} (Iceberg's transform names).
 */
public record PartitionColumn(String column, String transform) {

  private static final Pattern VALID =
      Pattern.compile("identity|year|month|day|hour|bucket\\[\\d+]|truncate\\[\\d+]");

  /** Validates the transform name. */
  public PartitionColumn {
    transform = transform == null ? "identity" : transform.trim().toLowerCase(Locale.ROOT);
    if (!VALID.matcher(transform).matches()) {
      throw new IllegalArgumentException(
          "partition transform for "
              + column
              + " must be one of identity, year, month, day, hour, bucket[N], truncate[N], but was '"
              + transform
              + "'");
    }
  }
}
