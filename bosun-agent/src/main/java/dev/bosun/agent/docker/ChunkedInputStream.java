package dev.bosun.agent.docker;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The body of an HTTP/1.1 response sent with {@code Transfer-Encoding: chunked}: hex chunk sizes,
 * optional extensions, CRLFs and trailers are stripped. Reads return as soon as some data of the
 * current chunk has arrived, so a streamed answer (pull progress, logs) is seen as it comes.
 */
final class ChunkedInputStream extends InputStream {
  private final InputStream in;
  private long remaining; // bytes left in the current chunk
  private boolean started;
  private boolean finished;

  ChunkedInputStream(InputStream in) {
    this.in = in;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (finished || !nextChunkIfNeeded()) {
      return -1;
    }
    int n = in.read(buffer, offset, (int) Math.min(length, remaining));
    if (n < 0) {
      throw new EOFException("the connection closed inside a chunk");
    }
    remaining -= n;
    return n;
  }

  @Override
  public int available() throws IOException {
    return finished ? 0 : (int) Math.min(remaining, in.available());
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** Moves to the next chunk when the current one is used up; false at the last (empty) chunk. */
  private boolean nextChunkIfNeeded() throws IOException {
    if (remaining > 0) {
      return true;
    }
    if (started) {
      String end = HttpLines.readLine(in);
      if (!end.isEmpty()) {
        throw new IOException("malformed chunked body: expected CRLF after a chunk, got " + end);
      }
    }
    started = true;
    String sizeLine = HttpLines.readLine(in);
    int extension = sizeLine.indexOf(';');
    String hex = (extension >= 0 ? sizeLine.substring(0, extension) : sizeLine).strip();
    try {
      remaining = Long.parseLong(hex, 16);
    } catch (NumberFormatException e) {
      throw new IOException("malformed chunked body: bad chunk size " + sizeLine);
    }
    if (remaining < 0) {
      throw new IOException("malformed chunked body: bad chunk size " + sizeLine);
    }
    if (remaining == 0) {
      while (!HttpLines.readLine(in).isEmpty()) {
        // trailers, which Docker does not send and this client does not need
      }
      finished = true;
      return false;
    }
    return true;
  }
}
