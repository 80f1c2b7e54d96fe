/**
 * Lineage for data product runs: OpenLineage events that never block a pipeline, and catalog
 * publishing (OpenMetadata).
 */
package dev.meshwork.lineage;
