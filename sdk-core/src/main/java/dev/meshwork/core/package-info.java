/** Meshwork's public API: meshes, runs and typed ports over data products. */
package dev.meshwork.core;
