package dev.meshwork.core.model;

/** A key/value custom property, as both ODPS and ODCS define it. */
public record CustomProperty(String property, Object value, String description) {}
