package dev.meshwork.spi;

import dev.meshwork.core.schema.Schema;

/**
 * What a store needs to find an input port's table: the contract the consumer expects and,
 * optionally, an explicit table name (custom property {@code sourceTable} on the input port).
 */
public record InputSpec(String portName, String contractId, String sourceTable, Schema expected) {}
