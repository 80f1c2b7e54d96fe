/**
 * Lineage adapter: OpenLineage events and catalog publishing (see the lineage issue; not built
 * yet).
 */
package dev.meshwork.lineage;
