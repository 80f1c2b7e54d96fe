package dev.meshwork.lineage.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A durable queue of serialized events in a folder, ordered by sequence number: one file per event,
 * written to a temporary name, forced to disk and renamed, so a crash leaves whole events or none.
 * Survives restarts: a new emitter replays what an earlier process could not send.
 */
final class Spool {
  private static final String SUFFIX = ".event.json";
  private final Path dir;
  private long next;

  Spool(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
      this.next = entries().stream().mapToLong(Spool::sequence).max().orElse(0) + 1;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot use lineage spool folder " + dir + ": " + e.getMessage(), e);
    }
  }

  Path dir() {
    return dir;
  }

  /** The first sequence number this spool has not used: events of this process count from it. */
  synchronized long nextSequence() {
    return next;
  }

  /**
   * Writes an event under its sequence number (from {@link #nextSequence()} on): entries are read
   * back in that order whichever thread wrote them when.
   */
  synchronized void append(long sequence, String json) throws IOException {
    try {
      write(sequence, json);
    } catch (java.nio.channels.ClosedByInterruptException e) {
      // An interrupt (a closing emitter stopping its worker) closes the channel mid-write; the
      // event must still reach the disk, so write it again and keep the interrupt for the caller.
      Thread.interrupted();
      try {
        write(sequence, json);
      } finally {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void write(long sequence, String json) throws IOException {
    Path tmp = dir.resolve(String.format("%019d", sequence) + ".tmp");
    Path target = dir.resolve(String.format("%019d", sequence) + SUFFIX);
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(java.nio.ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target);
    }
    next = Math.max(next, sequence + 1);
  }

  synchronized Optional<Path> head() throws IOException {
    return entries().stream().findFirst();
  }

  /** The sequence number of an entry. */
  static long sequenceOf(Path entry) {
    return sequence(entry);
  }

  static String read(Path entry) throws IOException {
    return Files.readString(entry, StandardCharsets.UTF_8);
  }

  synchronized void remove(Path entry) throws IOException {
    Files.deleteIfExists(entry);
  }

  synchronized long size() {
    try {
      return entries().size();
    } catch (IOException e) {
      return -1;
    }
  }

  private List<Path> entries() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
    }
  }

  private static long sequence(Path p) {
    String n = p.getFileName().toString();
    return Long.parseLong(n.substring(0, n.length() - SUFFIX.length()));
  }
}
