/** The demo's telemetry product published from a Flink job: one snapshot per checkpoint. */
package dev.meshwork.samples.flink;
