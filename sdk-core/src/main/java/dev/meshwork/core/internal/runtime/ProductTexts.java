package dev.meshwork.core.internal.runtime;

import dev.meshwork.core.internal.descriptor.DescriptorReader;
import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.DataProduct;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A product and its contracts as the text they were loaded from, for a task elsewhere: the model
 * holds paths, and a task cannot read the coordinator's files. Loading the texts again gives the
 * same ports, contracts and checks.
 */
final class ProductTexts implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String productSource;
  private final String productText;
  private final LinkedHashMap<String, String> contractTexts;
  private transient DataProduct product;

  private ProductTexts(
      String productSource, String productText, LinkedHashMap<String, String> contractTexts) {
    this.productSource = productSource;
    this.productText = productText;
    this.contractTexts = contractTexts;
  }

  /** The texts of {@code product} and of every contract it loaded. */
  static ProductTexts of(DataProduct product) {
    LinkedHashMap<String, String> contracts = new LinkedHashMap<>();
    for (DataContract c : product.contracts().values()) {
      contracts.put(source(c.source(), c.id()), text(c.source(), c::toYaml));
    }
    return new ProductTexts(
        source(product.source(), product.id()), text(product.source(), product::toYaml), contracts);
  }

  private static String source(Path file, String id) {
    return file != null ? file.toString() : id + ".yaml";
  }

  /** The text the descriptor was loaded from, so tasks compile exactly the same checks. */
  private static String text(Path file, Supplier<String> written) {
    if (file == null || !Files.isRegularFile(file)) {
      return written.get();
    }
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file + " to ship it to tasks", e);
    }
  }

  /** The product, read from the texts once per copy. */
  DataProduct product() {
    if (product == null) {
      Map<Path, String> contracts = new LinkedHashMap<>();
      contractTexts.forEach((file, text) -> contracts.put(Path.of(file), text));
      product = DescriptorReader.fromTexts(Path.of(productSource), productText, contracts);
    }
    return product;
  }
}
