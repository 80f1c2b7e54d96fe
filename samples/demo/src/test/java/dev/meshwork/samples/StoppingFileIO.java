package dev.meshwork.samples;

import java.io.IOException;
import java.util.Map;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.io.BulkDeletionFailureException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.io.SupportsBulkOperations;
import org.apache.iceberg.io.SupportsPrefixOperations;

/**
 * A FileIO that passes everything to the store's own FileIO and stops the process's progress at one
 * point of a commit: when a file whose location matches the regular expression {@link #AT} has been
 * written and closed, it says so on standard output and blocks, for the kill test to SIGKILL the
 * JVM there. Catalog properties: {@link #DELEGATE} (the real FileIO class) and {@link #AT}.
 */
public final class StoppingFileIO implements SupportsPrefixOperations, SupportsBulkOperations {
  private static final long serialVersionUID = 1L;

  /** Catalog property: the FileIO class that does the work. */
  public static final String DELEGATE = "test.stopping-io.delegate";

  /** Catalog property: a regular expression of the locations whose close blocks (unset: none). */
  public static final String AT = "test.stopping-io.at";

  /** What the process prints when it blocks. */
  public static final String STOPPED = "KILL-POINT-REACHED";

  private FileIO delegate;
  private java.util.regex.Pattern at;

  /** Creates the FileIO; the catalog initializes it. */
  public StoppingFileIO() {}

  @Override
  public void initialize(Map<String, String> properties) {
    delegate = CatalogUtil.loadFileIO(properties.get(DELEGATE), properties, null);
    at = properties.containsKey(AT) ? java.util.regex.Pattern.compile(properties.get(AT)) : null;
  }

  /** Says that the kill point is reached and blocks until the process is killed. */
  public static void stopHere(String where) {
    System.out.println(STOPPED + " " + where);
    System.out.flush();
    while (true) {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        // Only a kill ends this.
      }
    }
  }

  @Override
  public InputFile newInputFile(String location) {
    return delegate.newInputFile(location);
  }

  @Override
  public InputFile newInputFile(String location, long length) {
    return delegate.newInputFile(location, length);
  }

  @Override
  public OutputFile newOutputFile(String location) {
    OutputFile out = delegate.newOutputFile(location);
    if (at == null || !at.matcher(location).find()) {
      return out;
    }
    return new OutputFile() {
      @Override
      public PositionOutputStream create() {
        return stopping(out.create(), location);
      }

      @Override
      public PositionOutputStream createOrOverwrite() {
        return stopping(out.createOrOverwrite(), location);
      }

      @Override
      public String location() {
        return out.location();
      }

      @Override
      public InputFile toInputFile() {
        return out.toInputFile();
      }
    };
  }

  private static PositionOutputStream stopping(PositionOutputStream s, String location) {
    return new PositionOutputStream() {
      @Override
      public long getPos() throws IOException {
        return s.getPos();
      }

      @Override
      public void write(int b) throws IOException {
        s.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        s.write(b, off, len);
      }

      @Override
      public void flush() throws IOException {
        s.flush();
      }

      @Override
      public void close() throws IOException {
        s.close();
        stopHere("after writing " + location);
      }
    };
  }

  @Override
  public void deleteFile(String location) {
    delegate.deleteFile(location);
  }

  @Override
  public Map<String, String> properties() {
    return delegate.properties();
  }

  @Override
  public Iterable<FileInfo> listPrefix(String prefix) {
    return ((SupportsPrefixOperations) delegate).listPrefix(prefix);
  }

  @Override
  public void deletePrefix(String prefix) {
    ((SupportsPrefixOperations) delegate).deletePrefix(prefix);
  }

  @Override
  public void deleteFiles(Iterable<String> locations) throws BulkDeletionFailureException {
    ((SupportsBulkOperations) delegate).deleteFiles(locations);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
