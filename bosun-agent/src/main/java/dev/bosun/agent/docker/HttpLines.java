package dev.bosun.agent.docker;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads the CRLF-terminated lines of HTTP/1.1's status line, headers and chunk sizes. */
final class HttpLines {
  /** Longer lines are not HTTP from Docker; refusing them bounds memory. */
  static final int MAX_LINE = 64 * 1024;

  private HttpLines() {}

  /** One line without its CR LF (a bare LF is accepted too). */
  static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the connection closed before the end of a line");
      }
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int length =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
      }
      if (line.size() >= MAX_LINE) {
        throw new IOException("an HTTP line longer than " + MAX_LINE + " bytes");
      }
      line.write(b);
    }
  }
}
