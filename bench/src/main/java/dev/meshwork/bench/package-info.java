/** JMH benchmarks of the write path (see the benchmark issue; not built yet). */
package dev.meshwork.bench;
