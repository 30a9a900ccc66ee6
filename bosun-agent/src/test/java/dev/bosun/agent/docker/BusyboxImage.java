package dev.bosun.agent.docker;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The test image {@value #REFERENCE}: a root filesystem of a static busybox ({@code /bin/busybox}
 * and a link per applet: sh, echo, id, sleep, nc, httpd, df, ...), {@code /etc/passwd} and {@code
 * /etc/group} with {@code root} and {@code app} (uid and gid 1000, home {@code /home/app}), and a
 * world-writable {@code /tmp}. It is imported through the Engine API ({@code POST
 * /images/create?fromSrc=-}), since no registry can be reached from the test machines.
 */
public final class BusyboxImage {
  /** The image's reference. */
  public static final String REFERENCE = "bosun-test/busybox:1";

  /** Where Debian's busybox-static puts the binary. */
  public static final Path BUSYBOX = Path.of("/bin/busybox");

  private BusyboxImage() {}

  /** Why this machine cannot build the image, or null when it can. */
  static String unavailableReason() {
    if (!Files.isExecutable(BUSYBOX)) {
      return BUSYBOX + " is missing (apt-get install busybox-static)";
    }
    try {
      if (isDynamicallyLinked(BUSYBOX)) {
        return BUSYBOX + " is dynamically linked; the test image needs busybox-static";
      }
    } catch (IOException e) {
      return "cannot read " + BUSYBOX + ": " + e.getMessage();
    }
    return null;
  }

  /** Builds the root filesystem under {@code work}, tars it and imports it with {@code docker}. */
  static void build(DockerClient docker, Path work) throws IOException, InterruptedException {
    Path rootfs = work.resolve("rootfs");
    Path bin = Files.createDirectories(rootfs.resolve("bin"));
    Files.copy(BUSYBOX, bin.resolve("busybox"));
    for (String applet : applets()) {
      if (!applet.equals("busybox") && !Files.exists(bin.resolve(applet))) {
        Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
      }
    }
    Path etc = Files.createDirectories(rootfs.resolve("etc"));
    Files.writeString(
        etc.resolve("passwd"),
        "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n");
    Files.writeString(etc.resolve("group"), "root:x:0:\napp:x:1000:\n");
    Files.createDirectories(rootfs.resolve("root"));
    Path home = Files.createDirectories(rootfs.resolve("home/app"));
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path tmp = Files.createDirectories(rootfs.resolve("tmp"));
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path tar = work.resolve("rootfs.tar");
    run(List.of("tar", "--numeric-owner", "-C", rootfs.toString(), "-cf", tar.toString(), "."));
    docker.importImage(tar, REFERENCE);
  }

  private static List<String> applets() throws IOException, InterruptedException {
    return run(List.of(BUSYBOX.toString(), "--list"))
        .lines()
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + output.strip());
    }
    return output;
  }

  /** Whether the ELF file has a PT_INTERP program header, i.e. needs a dynamic loader. */
  private static boolean isDynamicallyLinked(Path elf) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(elf.toFile(), "r")) {
      byte[] ident = new byte[16];
      file.readFully(ident);
      if (ident[0] != 0x7f || ident[1] != 'E' || ident[4] != 2 || ident[5] != 1) {
        throw new IOException("not a little-endian 64-bit ELF file");
      }
      file.seek(0x20);
      long programHeaders = Long.reverseBytes(file.readLong());
      file.seek(0x36);
      int entrySize = Short.toUnsignedInt(Short.reverseBytes(file.readShort()));
      int entries = Short.toUnsignedInt(Short.reverseBytes(file.readShort()));
      for (int i = 0; i < entries; i++) {
        file.seek(programHeaders + (long) i * entrySize);
        if (Integer.reverseBytes(file.readInt()) == 3) { // PT_INTERP
          return true;
        }
      }
      return false;
    }
  }
}
