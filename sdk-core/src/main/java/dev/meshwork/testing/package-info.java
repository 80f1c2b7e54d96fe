/**
 * A test kit for domain teams: {@link dev.meshwork.testing.MeshExtension} gives each JUnit 5 test a
 * fresh mesh on an embedded warehouse in a temporary folder, runs a product's pipeline and checks
 * what it published ({@link dev.meshwork.testing.PublishedOutput}).
 */
package dev.meshwork.testing;
