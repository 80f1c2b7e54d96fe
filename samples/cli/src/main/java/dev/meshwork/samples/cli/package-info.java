/**
 * The {@code meshwork} command: inspect a warehouse, maintain a product's tables, compare contract
 * versions, export policies for other engines, and run the demo.
 */
package dev.meshwork.samples.cli;
