package dev.bosun.agent;

import dev.bosun.api.agent.LogChunk;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A job's durable log: the pump side turns the raw {@code output} into timestamped lines in {@code
 * log}, the reader side serves whole lines from a byte offset and waits for new ones.
 *
 * <p>Exactly once across agent crashes: {@code log.offset} records a consistent pair (output bytes
 * consumed, log length) after every append. A restarted agent truncates the log to that length and
 * reads the output again from that offset, so a line appended after the last checkpoint is neither
 * lost nor doubled.
 *
 * <p>Lines are split at {@code \n} bytes, which never occur inside a UTF-8 sequence; a partial line
 * is flushed after {@link #PARTIAL_LINE_DELAY}, when it reaches {@link #MAX_LINE_BYTES}, or when
 * the job ends, each time at a UTF-8 character boundary.
 */
final class JobLog {
  static final int MAX_LINE_BYTES = 64 * 1024;
  static final Duration PARTIAL_LINE_DELAY = Duration.ofSeconds(1);
  private static final int READ_CHUNK = 1 << 20;
  private static final byte[] EMPTY = new byte[0];
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

  private final JobDirectory directory;
  private final InstantSource clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition appended = lock.newCondition();

  // all guarded by lock
  private long outputOffset;
  private long logLength;
  private byte[] pending = new byte[0];
  private Instant pendingSince;
  private boolean drained;
  private boolean sealed;
  private FileChannel output;

  private JobLog(
      JobDirectory directory,
      InstantSource clock,
      long outputOffset,
      long logLength,
      boolean sealed) {
    this.directory = directory;
    this.clock = clock;
    this.outputOffset = outputOffset;
    this.logLength = logLength;
    this.drained = sealed;
    this.sealed = sealed;
  }

  /** The log of a job about to start. */
  static JobLog empty(JobDirectory directory, InstantSource clock) {
    return new JobLog(directory, clock, 0, 0, false);
  }

  /** The log of a job that had finished: complete as it is on disk. */
  static JobLog sealed(JobDirectory directory, InstantSource clock) throws IOException {
    long length = Files.exists(directory.log()) ? Files.size(directory.log()) : 0;
    return new JobLog(directory, clock, 0, length, true);
  }

  /**
   * The log of a job that was running when the agent stopped: cut back to the last checkpoint,
   * pumping resumes.
   */
  static JobLog resume(JobDirectory directory, InstantSource clock) throws IOException {
    long outputOffset = 0;
    long logLength = 0;
    if (Files.exists(directory.logCheckpoint())) {
      String[] parts =
          Files.readString(directory.logCheckpoint(), StandardCharsets.US_ASCII).strip().split(" ");
      if (parts.length == 2) {
        outputOffset = Long.parseLong(parts[0]);
        logLength = Long.parseLong(parts[1]);
      }
    }
    try (FileChannel log =
        FileChannel.open(directory.log(), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      if (log.size() > logLength) {
        log.truncate(logLength);
      } else {
        logLength = log.size();
      }
    }
    return new JobLog(directory, clock, outputOffset, logLength, false);
  }

  /** Moves the output's new lines into the log; a no-op once drained. */
  void pump() throws IOException {
    lock.lock();
    try {
      if (!drained) {
        transfer(false);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Moves everything left in the output into the log, the last partial line included; call when the
   * job ended.
   */
  void drain() throws IOException {
    lock.lock();
    try {
      if (drained) {
        return;
      }
      while (transfer(false)) {
        // read until the end of the output
      }
      transfer(true);
      drained = true;
    } finally {
      closeOutput();
      lock.unlock();
    }
  }

  /**
   * Marks the log complete: readers at its end get {@code eof}. Call once the job's final state is
   * recorded.
   */
  void seal() {
    lock.lock();
    try {
      drained = true;
      sealed = true;
      appended.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whole lines from byte {@code offset}, at most {@code limit} bytes unless the first line alone
   * is longer. Waits up to {@code wait} when there is nothing yet and the log is not sealed.
   */
  LogChunk read(long offset, int limit, Duration wait) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    long length;
    boolean complete;
    lock.lock();
    try {
      while (offset >= logLength && !sealed) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          break;
        }
        appended.awaitNanos(remaining);
      }
      length = logLength;
      complete = sealed;
    } finally {
      lock.unlock();
    }
    if (offset >= length) {
      return new LogChunk("", offset, complete);
    }
    byte[] bytes = readWholeLines(offset, length, limit);
    long next = offset + bytes.length;
    return new LogChunk(
        new String(bytes, StandardCharsets.UTF_8), next, complete && next >= length);
  }

  /** Log bytes below {@code length} never change, so they are read without the lock. */
  private byte[] readWholeLines(long offset, long length, int limit) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (FileChannel log = FileChannel.open(directory.log(), StandardOpenOption.READ)) {
      byte[] chunk = read(log, offset, (int) Math.min(limit, length - offset));
      int lastNewline = lastIndexOf(chunk, (byte) '\n');
      if (lastNewline >= 0) {
        return Arrays.copyOf(chunk, lastNewline + 1);
      }
      // the first line is longer than the limit: answer with that whole line
      out.writeBytes(chunk);
      long position = offset + chunk.length;
      while (position < length) {
        chunk = read(log, position, (int) Math.min(MAX_LINE_BYTES, length - position));
        position += chunk.length;
        int newline = indexOf(chunk, (byte) '\n');
        if (newline >= 0) {
          out.write(chunk, 0, newline + 1);
          break;
        }
        out.writeBytes(chunk);
      }
    } catch (NoSuchFileException e) {
      return new byte[0];
    }
    return out.toByteArray();
  }

  private static byte[] read(FileChannel channel, long position, int size) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(size);
    while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) >= 0) {
      // fill the buffer
    }
    return Arrays.copyOf(buffer.array(), buffer.position());
  }

  /**
   * Reads new output (at most one chunk), appends its complete lines to the log and checkpoints.
   *
   * @param finalFlush flush the partial line whole, since no more output will come
   * @return whether output bytes were read
   */
  private boolean transfer(boolean finalFlush) throws IOException {
    long readFrom = outputOffset + pending.length;
    byte[] fresh = readOutput(readFrom);
    if (fresh.length == 0 && pending.length == 0) {
      return false;
    }
    Instant now = clock.instant();
    ByteArrayOutputStream lines = new ByteArrayOutputStream();
    byte[] rest = pending;
    if (fresh.length > 0) {
      byte[] data = concat(pending, fresh);
      int start = 0;
      for (int i = 0; i < data.length; i++) {
        if (data[i] == '\n') {
          appendLine(lines, now, data, start, i);
          start = i + 1;
        }
      }
      rest = Arrays.copyOfRange(data, start, data.length);
      if (pending.length == 0 || start > 0) {
        pendingSince = now;
      }
    }
    if (rest.length >= MAX_LINE_BYTES) {
      // a line that long is not waited for: flush all of it but an unfinished character
      int cut = utf8Boundary(rest, 0, rest.length);
      appendLine(lines, now, rest, 0, cut);
      rest = Arrays.copyOfRange(rest, cut, rest.length);
      pendingSince = now;
    }
    boolean stale = pendingSince != null && !now.isBefore(pendingSince.plus(PARTIAL_LINE_DELAY));
    if (rest.length > 0 && (finalFlush || stale)) {
      int cut = finalFlush ? rest.length : utf8Boundary(rest, 0, rest.length);
      if (cut > 0) {
        appendLine(lines, now, rest, 0, cut);
        rest = Arrays.copyOfRange(rest, cut, rest.length);
        pendingSince = now;
      }
    }
    long consumed = readFrom + fresh.length - rest.length;
    pending = rest;
    if (lines.size() > 0) {
      appendToLog(lines.toByteArray());
    }
    if (consumed != outputOffset || lines.size() > 0) {
      outputOffset = consumed;
      AtomicFileWriter.write(directory.logCheckpoint(), outputOffset + " " + logLength + "\n");
    }
    return fresh.length > 0;
  }

  /**
   * Output bytes from {@code from}, at most {@link #READ_CHUNK}. The output stays open while the
   * job runs, so that a tick without news costs one {@code fstat}.
   */
  private byte[] readOutput(long from) throws IOException {
    if (output == null) {
      try {
        output = FileChannel.open(directory.output(), StandardOpenOption.READ);
      } catch (NoSuchFileException e) {
        return EMPTY;
      }
    }
    long available = output.size() - from;
    return available <= 0 ? EMPTY : read(output, from, (int) Math.min(available, READ_CHUNK));
  }

  /** Closes the output file; the next pump opens it again. */
  void closeOutput() {
    lock.lock();
    try {
      if (output != null) {
        output.close();
      }
    } catch (IOException e) {
      // nothing was written through it
    } finally {
      output = null;
      lock.unlock();
    }
  }

  private void appendToLog(byte[] bytes) throws IOException {
    try (FileChannel log =
        FileChannel.open(directory.log(), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        log.write(buffer, logLength + buffer.position());
      }
    }
    logLength += bytes.length;
    appended.signalAll();
  }

  /**
   * Appends {@code data[from, to)} as one line, or as several when it is longer than {@link
   * #MAX_LINE_BYTES}.
   */
  private static void appendLine(
      ByteArrayOutputStream lines, Instant at, byte[] data, int from, int to) {
    while (to - from > MAX_LINE_BYTES) {
      int cut = utf8Boundary(data, from, from + MAX_LINE_BYTES);
      if (cut == from) {
        cut = from + MAX_LINE_BYTES;
      }
      appendOneLine(lines, at, data, from, cut);
      from = cut;
    }
    appendOneLine(lines, at, data, from, to);
  }

  private static void appendOneLine(
      ByteArrayOutputStream lines, Instant at, byte[] data, int from, int to) {
    lines.writeBytes(TIMESTAMP.format(at).getBytes(StandardCharsets.US_ASCII));
    lines.write(' ');
    lines.write(data, from, to - from);
    lines.write('\n');
  }

  /**
   * The largest cut in {@code [from, limit]} that does not split a UTF-8 character, looking at the
   * character that ends at {@code limit}; {@code from} when the bytes before {@code limit} are only
   * the start of one character. Bytes that are not UTF-8 are cut anywhere.
   */
  static int utf8Boundary(byte[] bytes, int from, int limit) {
    int lead = limit - 1;
    int continuations = 0;
    while (lead >= from && continuations < 3 && (bytes[lead] & 0xC0) == 0x80) {
      lead--;
      continuations++;
    }
    if (lead < from) {
      return limit;
    }
    int first = bytes[lead] & 0xFF;
    int length =
        first < 0x80
            ? 1
            : (first >> 5) == 0x6 ? 2 : (first >> 4) == 0xE ? 3 : (first >> 3) == 0x1E ? 4 : 1;
    return lead + length <= limit ? limit : lead;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    if (a.length == 0) {
      return b;
    }
    byte[] joined = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }

  private static int indexOf(byte[] bytes, byte value) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == value) {
        return i;
      }
    }
    return -1;
  }

  private static int lastIndexOf(byte[] bytes, byte value) {
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] == value) {
        return i;
      }
    }
    return -1;
  }
}
