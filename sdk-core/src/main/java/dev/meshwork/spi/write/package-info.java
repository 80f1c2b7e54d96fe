/**
 * Write-path mechanics a table store uses to encode values without boxing: value shapes and field
 * accessors, column batches and raw values, and the pages column checks read. <b>Unstable for
 * implementers</b>: these types follow the write path and may change in any release; the adapter
 * contracts in {@link dev.meshwork.spi} are the stable surface.
 */
package dev.meshwork.spi.write;
