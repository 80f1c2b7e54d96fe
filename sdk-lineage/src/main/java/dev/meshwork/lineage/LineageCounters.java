package dev.meshwork.lineage;

/**
 * What an emitter did with its events: sent at once, retried, spooled to disk while the backend was
 * unreachable, replayed from the spool, dropped (the queue stayed full), and still pending in the
 * spool.
 */
public record LineageCounters(
    long emitted, long retried, long spooled, long replayed, long dropped, long pendingInSpool) {}
