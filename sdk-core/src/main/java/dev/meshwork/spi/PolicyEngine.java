package dev.meshwork.spi;

/** Decides whether a principal may act on a product's port. Implementations fail closed. */
public interface PolicyEngine {

  /** The decision for one request. */
  Decision decide(PolicyRequest request);

  /** A short description for logs. */
  default String describe() {
    return getClass().getSimpleName();
  }
}
