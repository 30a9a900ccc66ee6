package dev.bosun.server.fleet.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link HostKeyStore} in one file, in known_hosts format ({@code [host]:port type base64}), so
 * that {@code ssh -o UserKnownHostsFile=FILE} accepts the same hosts. Rewritten whole on each
 * change (a fleet has few hosts).
 */
public final class FileHostKeyStore implements HostKeyStore {
  private final Path file;

  public FileHostKeyStore(Path file) {
    this.file = Objects.requireNonNull(file, "file is null");
  }

  @Override
  public synchronized Optional<HostKey> known(String host, int port) {
    return Optional.ofNullable(read().get(name(host, port)));
  }

  @Override
  public synchronized void remember(String host, int port, HostKey key) {
    Map<String, HostKey> keys = read();
    keys.put(name(host, port), key);
    write(keys);
  }

  @Override
  public synchronized void forget(String host, int port) {
    Map<String, HostKey> keys = read();
    if (keys.remove(name(host, port)) != null) {
      write(keys);
    }
  }

  private static String name(String host, int port) {
    return port == SshTarget.DEFAULT_PORT ? host : "[" + host + "]:" + port;
  }

  private Map<String, HostKey> read() {
    Map<String, HostKey> keys = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return keys;
    }
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] parts = line.strip().split("\\s+");
        if (parts.length >= 3 && !parts[0].startsWith("#")) {
          keys.put(parts[0], new HostKey(parts[1] + " " + parts[2]));
        }
      }
      return keys;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the host key file " + file, e);
    }
  }

  private void write(Map<String, HostKey> keys) {
    List<String> lines = new ArrayList<>();
    keys.forEach((name, key) -> lines.add(name + " " + key.openSsh()));
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path temporary = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
      Files.write(temporary, lines, StandardCharsets.UTF_8);
      Files.move(
          temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the host key file " + file, e);
    }
  }
}
