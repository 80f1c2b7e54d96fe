package dev.meshwork.core.model;

import dev.meshwork.core.internal.descriptor.DescriptorReader;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads a product file and the contracts its ports reference, from the product's folder and its
 * {@code contracts/} sub-folder and from the folders, files and ids given here. Get one with {@link
 * DataProduct#loader()}.
 */
public final class ProductLoader {
  private final DescriptorReader.Loader loader;

  ProductLoader(DescriptorReader.Loader loader) {
    this.loader = loader;
  }

  /** Also looks for contracts in this folder (not recursively). */
  public ProductLoader contractsFrom(Path dir) {
    loader.contractsFrom(dir);
    return this;
  }

  /** Uses this contract file, ahead of any found by searching folders. */
  public ProductLoader contract(Path file) {
    loader.contract(file);
    return this;
  }

  /**
   * Uses these contract files by id, ahead of any found by searching folders; a file whose id
   * differs from its key is an error.
   */
  public ProductLoader contracts(Map<String, Path> filesById) {
    loader.contracts(filesById);
    return this;
  }

  /** Reads the product file and every contract its ports reference. */
  public DataProduct load(Path productFile) {
    return loader.load(productFile);
  }
}
