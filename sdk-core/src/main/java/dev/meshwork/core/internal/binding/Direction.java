package dev.meshwork.core.internal.binding;

/** Whether a shape is used to write an output port or to read an input port. */
public enum Direction {
  READ,
  WRITE
}
