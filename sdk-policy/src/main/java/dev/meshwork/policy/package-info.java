/**
 * In-process policy: grants with CEL conditions, purpose-bound usage contracts and governance rules
 * from YAML, OPA over REST and as Wasm; decisions with column masks and row filters the readers
 * apply, a decision log, caching, and fail-closed behaviour.
 */
package dev.meshwork.policy;
