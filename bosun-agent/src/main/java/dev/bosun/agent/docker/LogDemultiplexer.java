package dev.bosun.agent.docker;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Splits Docker's log stream of a container without a terminal into stdout and stderr.
 *
 * <p>Each frame is an 8-byte header — the stream (0 stdin, 1 stdout, 2 stderr, 3 Docker's own
 * error, passed on as stderr), three zero bytes, the payload's length as a big-endian unsigned
 * 32-bit integer — followed by the payload. A container with a terminal has no frames: its output
 * is passed on as stdout. Payloads are handed on in pieces as they arrive, so a long line is not
 * held back and a large frame is never buffered whole.
 */
final class LogDemultiplexer {
  private static final int BUFFER = 32 * 1024;

  private LogDemultiplexer() {}

  /** Copies {@code in} to {@code sink} until it ends. */
  static void copy(InputStream in, boolean multiplexed, LogSink sink) throws IOException {
    byte[] buffer = new byte[BUFFER];
    if (!multiplexed) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        sink.write(LogSink.Stream.STDOUT, buffer, 0, n);
      }
      return;
    }
    byte[] header = new byte[8];
    while (readHeader(in, header)) {
      LogSink.Stream stream =
          switch (header[0]) {
            case 0 -> LogSink.Stream.STDIN;
            case 1 -> LogSink.Stream.STDOUT;
            case 2, 3 -> LogSink.Stream.STDERR;
            default -> throw new IOException("not a Docker log frame: stream byte " + header[0]);
          };
      long remaining =
          ((header[4] & 0xffL) << 24)
              | ((header[5] & 0xffL) << 16)
              | ((header[6] & 0xffL) << 8)
              | (header[7] & 0xffL);
      while (remaining > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
        if (n < 0) {
          throw new EOFException("the log stream ended inside a frame");
        }
        sink.write(stream, buffer, 0, n);
        remaining -= n;
      }
    }
  }

  /** False at a clean end of the stream (between frames). */
  private static boolean readHeader(InputStream in, byte[] header) throws IOException {
    int read = 0;
    while (read < header.length) {
      int n = in.read(header, read, header.length - read);
      if (n < 0) {
        if (read == 0) {
          return false;
        }
        throw new EOFException("the log stream ended inside a frame header");
      }
      read += n;
    }
    return true;
  }
}
