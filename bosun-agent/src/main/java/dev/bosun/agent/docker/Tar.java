package dev.bosun.agent.docker;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A POSIX ustar archive of small text files, in memory: what {@link DockerClient#copyToContainer}
 * sends. Names are relative paths of at most 100 bytes; files get mode 0644 and the directories
 * above them (added first) 0755.
 */
final class Tar {
  private static final int BLOCK = 512;

  private Tar() {}

  static byte[] of(Map<String, String> files) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    java.util.Set<String> directories = new java.util.LinkedHashSet<>();
    for (String name : files.keySet()) {
      for (int slash = name.indexOf('/'); slash > 0; slash = name.indexOf('/', slash + 1)) {
        directories.add(name.substring(0, slash + 1));
      }
    }
    for (String directory : directories) {
      entry(out, directory, new byte[0], 0755, '5');
    }
    for (Map.Entry<String, String> file : files.entrySet()) {
      entry(out, file.getKey(), file.getValue().getBytes(StandardCharsets.UTF_8), 0644, '0');
    }
    out.writeBytes(new byte[BLOCK * 2]);
    return out.toByteArray();
  }

  private static void entry(
      ByteArrayOutputStream out, String path, byte[] content, int mode, char type) {
    byte[] name = path.getBytes(StandardCharsets.UTF_8);
    if (name.length == 0 || name.length > 100) {
      throw new IllegalArgumentException("a tar entry name must be 1 to 100 bytes: " + path);
    }
    byte[] header = new byte[BLOCK];
    System.arraycopy(name, 0, header, 0, name.length);
    octal(header, 100, 8, mode);
    octal(header, 108, 8, 0);
    octal(header, 116, 8, 0);
    octal(header, 124, 12, content.length);
    octal(header, 136, 12, System.currentTimeMillis() / 1000);
    for (int i = 148; i < 156; i++) {
      header[i] = ' '; // the checksum counts its own field as spaces
    }
    header[156] = (byte) type;
    System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, header, 257, 8);
    long sum = 0;
    for (byte b : header) {
      sum += b & 0xff;
    }
    octal(header, 148, 7, sum);
    out.writeBytes(header);
    out.writeBytes(content);
    out.writeBytes(new byte[(BLOCK - content.length % BLOCK) % BLOCK]);
  }

  /** Writes {@code value} in octal, zero-padded, NUL-terminated, into {@code length} bytes. */
  private static void octal(byte[] header, int offset, int length, long value) {
    String text = Long.toOctalString(value);
    String padded = "0".repeat(Math.max(0, length - 1 - text.length())) + text;
    byte[] bytes = padded.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, header, offset, length - 1);
    header[offset + length - 1] = 0;
  }
}
