package dev.meshwork.spi;

/** A table as the store names it: its identifier, location and file format. */
public record TableInfo(String identifier, String location, String format, TableState state) {

  /** What opening the table did to it. */
  public enum TableState {
    CREATED,
    EXISTING,
    EVOLVED
  }
}
