package dev.meshwork.core;

import java.nio.file.Path;

/** A product or contract descriptor is malformed or invalid; names the file, line and column. */
public class DescriptorException extends MeshworkException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final int line;
  private final int column;

  /** An error at a 1-based line and column of a file; line 0 means the whole file. */
  public DescriptorException(Path file, int line, int column, String message) {
    super(format(file, line, column, message));
    this.file = file;
    this.line = line;
    this.column = column;
  }

  /** An error at a position, caused by another exception. */
  public DescriptorException(Path file, int line, int column, String message, Throwable cause) {
    super(format(file, line, column, message), cause);
    this.file = file;
    this.line = line;
    this.column = column;
  }

  private static String format(Path file, int line, int column, String message) {
    String where = file == null ? "<unknown file>" : file.toString();
    return line > 0 ? where + ":" + line + ":" + column + ": " + message : where + ": " + message;
  }

  /** The descriptor file. */
  public Path file() {
    return file;
  }

  /** The 1-based line, or 0 when the error concerns the whole file. */
  public int line() {
    return line;
  }

  /** The 1-based column, or 0 when the error concerns the whole file. */
  public int column() {
    return column;
  }
}
