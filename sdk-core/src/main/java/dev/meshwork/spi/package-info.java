/**
 * Service-provider interfaces that adapters implement: table stores, run listeners, policy engines
 * and quality gates, plus the record shapes that carry typed values to a store without boxing.
 */
package dev.meshwork.spi;
