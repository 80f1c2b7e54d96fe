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

  /**
   * Asks {@code source} for the contracts no file provides (after the sources given before it): a
   * registry, a URL, contracts built in code.
   */
  public ProductLoader contractSource(ContractSource source) {
    loader.contractSource(source);
    return this;
  }

  /**
   * Holds the product and its contract files to the official ODPS/ODCS JSON schemas: any finding
   * fails the load, listing every one as {@code file:line:column: path: message}. Without it, a
   * load logs them as warnings when the validator ({@code com.networknt:json-schema-validator}) is
   * on the class path.
   *
   * @throws IllegalStateException when the validator is not on the class path
   */
  public ProductLoader strict() {
    loader.strict();
    return this;
  }

  /**
   * Reads the product file and every contract its ports reference that can be found; the others are
   * listed in {@link DataProduct#missingContracts()} and fail the port that needs them.
   */
  public DataProduct load(Path productFile) {
    return loader.load(productFile);
  }
}
