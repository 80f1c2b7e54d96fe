package dev.meshwork.lineage;

/**
 * What a catalog listener did: runs published, attempts retried, runs that could not be published.
 */
public record CatalogCounters(long published, long retried, long failed) {}
