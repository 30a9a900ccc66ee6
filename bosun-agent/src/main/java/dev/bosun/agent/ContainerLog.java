package dev.bosun.agent;

import dev.bosun.agent.docker.LogSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Copies a container's output, as Docker gives it with a timestamp before every line, into the
 * job's output file (which the log pump moves into the durable log), without the timestamps.
 *
 * <p>It remembers the timestamp of the last line it wrote, in the job's directory, so that an agent
 * that restarts asks Docker only for what came after it and skips what it already has: no line is
 * lost or doubled across agent restarts.
 */
final class ContainerLog implements LogSink, AutoCloseable {
  private static final String SINCE_FILE = "container-log-since";
  private static final long SAVE_EVERY_NANOS = 1_000_000_000L;

  private final JobDirectory directory;
  private final OutputStream out;
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private Instant last;
  private long savedAt = System.nanoTime();

  /**
   * @param since skip lines at or before this instant (already written), or null
   */
  ContainerLog(JobDirectory directory, Instant since) throws IOException {
    this.directory = directory;
    this.last = since;
    this.out =
        Files.newOutputStream(
            directory.output(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** The timestamp of the last line written for the job, or null. */
  static Instant lastTimestamp(JobDirectory directory) {
    try {
      return Instant.parse(Files.readString(sinceFile(directory)).strip());
    } catch (IOException | DateTimeParseException e) {
      return null;
    }
  }

  @Override
  public void write(Stream stream, byte[] data, int offset, int length) {
    ByteArrayOutputStream pending = stream == Stream.STDERR ? stderr : stdout;
    try {
      for (int i = offset; i < offset + length; i++) {
        pending.write(data[i]);
        if (data[i] == '\n') {
          line(pending.toByteArray());
          pending.reset();
        }
      }
      out.flush();
      if (System.nanoTime() - savedAt > SAVE_EVERY_NANOS) {
        save();
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void line(byte[] bytes) throws IOException {
    int space = indexOf(bytes, (byte) ' ');
    Instant at = null;
    if (space > 0) {
      try {
        at = Instant.parse(new String(bytes, 0, space, StandardCharsets.US_ASCII));
      } catch (DateTimeParseException e) {
        at = null;
      }
    }
    if (at == null) {
      out.write(bytes);
      return;
    }
    if (last != null && !at.isAfter(last)) {
      return; // written before the agent restarted
    }
    last = at;
    out.write(bytes, space + 1, bytes.length - space - 1);
  }

  private static int indexOf(byte[] bytes, byte wanted) {
    for (int i = 0; i < Math.min(bytes.length, 64); i++) {
      if (bytes[i] == wanted) {
        return i;
      }
    }
    return -1;
  }

  private void save() throws IOException {
    savedAt = System.nanoTime();
    if (last != null) {
      Files.writeString(sinceFile(directory), last.toString());
    }
  }

  private static Path sinceFile(JobDirectory directory) {
    return directory.root().resolve(SINCE_FILE);
  }

  /** The container ended: what it wrote without a final newline is written too. */
  void complete() throws IOException {
    for (ByteArrayOutputStream rest : new ByteArrayOutputStream[] {stdout, stderr}) {
      if (rest.size() > 0) {
        rest.write('\n');
        line(rest.toByteArray());
        rest.reset();
      }
    }
  }

  /** Saves where the log is; a partial last line is left for whoever follows the container next. */
  @Override
  public void close() throws IOException {
    out.close();
    save();
  }
}
