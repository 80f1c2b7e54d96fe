/**
 * Service-provider interfaces that adapters implement: table stores, run listeners, policy engines
 * and quality gates, with the values they exchange with the runtime. The write-path mechanics a
 * store uses (value shapes, batches, pages) are in {@link dev.meshwork.spi.write}, which is not
 * stable for implementers.
 */
package dev.meshwork.spi;
