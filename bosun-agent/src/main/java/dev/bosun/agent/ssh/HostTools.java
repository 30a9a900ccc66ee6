package dev.bosun.agent.ssh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The host's programs that sessions need, found in the usual system directories. */
final class HostTools {
  private static final List<String> DIRS =
      List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin");

  private HostTools() {}

  static Optional<Path> find(String name) {
    return DIRS.stream().map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
  }

  /** The program, or why the session cannot start without it. */
  static Path require(String name, String packageName) throws JobUnavailableException {
    return find(name)
        .orElseThrow(
            () ->
                new JobUnavailableException(
                    name + " is not installed on this host (package " + packageName + ")"));
  }
}
