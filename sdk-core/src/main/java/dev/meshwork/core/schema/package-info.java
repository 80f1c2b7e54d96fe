/** Engine-neutral table schemas derived from data contracts. */
package dev.meshwork.core.schema;
