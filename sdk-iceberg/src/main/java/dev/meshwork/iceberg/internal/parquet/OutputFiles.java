package dev.meshwork.iceberg.internal.parquet;

import java.io.IOException;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/** Presents an Iceberg output file (local, S3, …) as a parquet-java output file. */
final class OutputFiles {
  private OutputFiles() {}

  static OutputFile of(org.apache.iceberg.io.OutputFile file) {
    return new OutputFile() {
      @Override
      public PositionOutputStream create(long blockSizeHint) {
        return wrap(file.create());
      }

      @Override
      public PositionOutputStream createOrOverwrite(long blockSizeHint) {
        return wrap(file.createOrOverwrite());
      }

      @Override
      public boolean supportsBlockSize() {
        return false;
      }

      @Override
      public long defaultBlockSize() {
        return 0;
      }

      @Override
      public String getPath() {
        return file.location();
      }
    };
  }

  private static PositionOutputStream wrap(org.apache.iceberg.io.PositionOutputStream out) {
    return new PositionOutputStream() {
      @Override
      public long getPos() throws IOException {
        return out.getPos();
      }

      @Override
      public void write(int b) throws IOException {
        out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void flush() throws IOException {
        out.flush();
      }

      @Override
      public void close() throws IOException {
        out.close();
      }
    };
  }
}
