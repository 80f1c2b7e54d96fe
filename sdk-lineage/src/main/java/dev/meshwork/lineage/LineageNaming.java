package dev.meshwork.lineage;

import dev.meshwork.core.model.DataProduct;
import java.net.URI;
import java.util.Locale;

/**
 * The naming conventions Meshwork's lineage follows.
 *
 * <ul>
 *   <li>Job: namespace from {@code OPENLINEAGE_NAMESPACE} or the listener's builder (default {@code
 *       meshwork}); name {@code <domain>.<product>}, cleaned like table names (lower case, other
 *       characters become {@code _}, no domain → {@code default}).
 *   <li>Datasets, per the OpenLineage naming spec for tables stored as files: the namespace is the
 *       table location's scheme and authority ({@code file} for local paths, {@code s3://bucket}),
 *       the name is the location's path. A {@code symlinks} facet adds the catalog table identifier
 *       (type {@code TABLE}) and the product/port address {@code meshwork://<domain>/<product>} /
 *       {@code <port>} (type {@code DATA_PRODUCT_PORT}).
 * </ul>
 */
public final class LineageNaming {
  private LineageNaming() {}

  /** The job name of a product. */
  public static String jobName(DataProduct product) {
    String domain =
        product.domain() == null || product.domain().isBlank() ? "default" : product.domain();
    return clean(domain) + "." + clean(product.displayName());
  }

  /** The namespace of the dataset stored at {@code location}. */
  public static String datasetNamespace(String location) {
    URI uri = URI.create(location);
    if (uri.getScheme() == null || uri.getScheme().equals("file")) {
      return "file";
    }
    return uri.getScheme() + "://" + (uri.getAuthority() == null ? "" : uri.getAuthority());
  }

  /** The name of the dataset stored at {@code location}. */
  public static String datasetName(String location) {
    URI uri = URI.create(location);
    String path = uri.getPath() == null ? location : uri.getPath();
    if (uri.getScheme() != null && !uri.getScheme().equals("file") && path.startsWith("/")) {
      return path.substring(1);
    }
    return path;
  }

  /** The namespace of the product-address symlink of a product's datasets. */
  public static String productNamespace(DataProduct product) {
    String domain =
        product.domain() == null || product.domain().isBlank() ? "default" : product.domain();
    return "meshwork://" + clean(domain) + "/" + clean(product.displayName());
  }

  static String clean(String name) {
    String s = name.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_");
    s = s.replaceAll("^_+|_+$", "");
    return s.isEmpty() ? "_" : s;
  }
}
