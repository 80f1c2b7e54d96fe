/** Apache Arrow batches written through output ports; loaded only when a pipeline uses Arrow. */
package dev.meshwork.core.internal.arrow;
