package dev.meshwork.spi;

/** A table as the store names it: its identifier, location and file format. */
public record TableInfo(String identifier, String location, String format, TableState state) {

  /** What opening the table found, and what the run's publish does to it. */
  public enum TableState {
    /** New: staged when the port opened, created in the catalog by the run's publish. */
    CREATED,
    /** Existed with the contract's schema. */
    EXISTING,
    /** Existed; the run's commit evolves its schema or properties with its version. */
    EVOLVED
  }
}
