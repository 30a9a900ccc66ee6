package dev.bosun.agent;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The directories of a {@code PATH}, and finding executables in them the way a shell does. */
record SearchPath(List<Path> directories) {
  SearchPath {
    directories = List.copyOf(directories);
  }

  static SearchPath of(Map<String, String> environment) {
    String path = environment.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    List<Path> directories = new ArrayList<>();
    for (String entry : path.split(":")) {
      if (!entry.isEmpty()) {
        try {
          directories.add(Path.of(entry));
        } catch (InvalidPathException e) {
          // a malformed PATH entry finds nothing, like in a shell
        }
      }
    }
    return new SearchPath(directories);
  }

  /**
   * The first executable regular file called {@code name}; an absolute {@code name} is checked as
   * is.
   */
  Optional<Path> find(String name) {
    if (name.contains("/")) {
      Path path = Path.of(name);
      return path.isAbsolute() && isExecutable(path) ? Optional.of(path) : Optional.empty();
    }
    for (Path directory : directories) {
      Path candidate = directory.resolve(name);
      if (isExecutable(candidate)) {
        return Optional.of(candidate.toAbsolutePath());
      }
    }
    return Optional.empty();
  }

  /** {@link #find}, else the first of {@code fallbacks} that exists. */
  Optional<Path> find(String name, String... fallbacks) {
    Optional<Path> found = find(name);
    if (found.isPresent()) {
      return found;
    }
    for (String fallback : fallbacks) {
      Path path = Path.of(fallback);
      if (isExecutable(path)) {
        return Optional.of(path);
      }
    }
    return Optional.empty();
  }

  private static boolean isExecutable(Path path) {
    return Files.isRegularFile(path) && Files.isExecutable(path);
  }
}
