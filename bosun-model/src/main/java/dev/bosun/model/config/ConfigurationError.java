package dev.bosun.model.config;

import java.util.Objects;

/**
 * One problem in a configuration file, located precisely enough for an editor to jump to it.
 *
 * @param file the file name as the user gave it
 * @param line 1-based line of the offending value (or key, for a field that is not allowed)
 * @param column 1-based column
 * @param path the field path, with dots and list indexes: {@code resources.gpu}, {@code
 *     commands[2]}, {@code env.FOO}; empty for a problem with the file as a whole
 * @param message what is wrong and what is allowed, for the user
 */
public record ConfigurationError(String file, int line, int column, String path, String message) {
  public ConfigurationError {
    Objects.requireNonNull(file, "file is null");
    Objects.requireNonNull(path, "path is null");
    Objects.requireNonNull(message, "message is null");
    if (line < 1 || column < 1) {
      throw new IllegalArgumentException("line and column are 1-based: " + line + ":" + column);
    }
  }

  /**
   * {@code hello.bosun.yml:4:5: resources.gpu: invalid GPU spec 'H100:abc': ...}, the form
   * compilers use.
   */
  @Override
  public String toString() {
    return file + ":" + line + ":" + column + ": " + (path.isEmpty() ? "" : path + ": ") + message;
  }
}
