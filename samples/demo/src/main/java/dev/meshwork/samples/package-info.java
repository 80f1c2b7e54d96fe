/** The demo mesh: two source-aligned drone-delivery products and one consumer-aligned product. */
package dev.meshwork.samples;
