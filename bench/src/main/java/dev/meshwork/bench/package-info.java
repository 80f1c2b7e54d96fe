/** JMH benchmarks of Meshwork's write path against Iceberg's and parquet-java's own writers. */
package dev.meshwork.bench;
