/** The Iceberg table store: embedded warehouse by default, any Iceberg catalog on request. */
package dev.meshwork.iceberg;
