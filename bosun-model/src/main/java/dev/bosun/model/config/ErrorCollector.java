package dev.bosun.model.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Gathers the errors of one file while it is bound, so that a user fixes several mistakes per round
 * trip instead of one.
 */
final class ErrorCollector {
  // Past this many the rest are noise from one root cause, such as a whole block at the wrong
  // indentation.
  private static final int MAX_ERRORS = 50;

  private final String file;
  private final List<ConfigurationError> errors = new ArrayList<>();
  private int reported;

  ErrorCollector(String file) {
    this.file = file;
  }

  void report(YamlNode.Position position, FieldPath path, String message) {
    reported++;
    if (errors.size() < MAX_ERRORS) {
      errors.add(
          new ConfigurationError(file, position.line(), position.column(), path.text(), message));
    }
  }

  void report(YamlNode node, FieldPath path, String message) {
    report(node.position(), path, message);
  }

  /**
   * Every error reported so far, also those past the limit that are not kept: binders compare
   * counts.
   */
  int count() {
    return reported;
  }

  boolean hasErrors() {
    return !errors.isEmpty();
  }

  void throwIfAny() {
    if (!errors.isEmpty()) {
      throw exception();
    }
  }

  /** Reports a problem that ends reading, and returns the exception to throw. */
  ConfigurationException fail(YamlNode.Position position, FieldPath path, String message) {
    report(position, path, message);
    return exception();
  }

  private ConfigurationException exception() {
    List<ConfigurationError> sorted = new ArrayList<>(errors);
    sorted.sort(
        Comparator.comparingInt(ConfigurationError::line)
            .thenComparingInt(ConfigurationError::column));
    return new ConfigurationException(sorted);
  }
}
