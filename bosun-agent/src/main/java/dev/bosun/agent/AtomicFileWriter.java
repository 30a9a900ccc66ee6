package dev.bosun.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Replaces files atomically: writes a temporary file next to the target and renames it over the
 * target, so that a reader (or an agent restarted after a crash) sees either the old or the new
 * content, never a torn one. There is no fsync: job records are rewritten often and a power loss is
 * recovered like a crash.
 */
final class AtomicFileWriter {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private AtomicFileWriter() {}

  static void write(Path target, String content) throws IOException {
    write(target, content.getBytes(StandardCharsets.UTF_8), false);
  }

  /**
   * Writes {@code content}; with {@code ownerOnly} the file gets mode 0600 from its creation on.
   */
  static void write(Path target, byte[] content, boolean ownerOnly) throws IOException {
    Path directory = target.toAbsolutePath().getParent();
    Path temporary =
        ownerOnly && isPosix(directory)
            ? Files.createTempFile(
                directory, "." + target.getFileName(), ".tmp", ownerOnlyAttribute())
            : Files.createTempFile(directory, "." + target.getFileName(), ".tmp");
    try {
      Files.write(temporary, content);
      try {
        Files.move(
            temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  static boolean isPosix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static FileAttribute<Set<PosixFilePermission>> ownerOnlyAttribute() {
    return PosixFilePermissions.asFileAttribute(OWNER_ONLY);
  }
}
