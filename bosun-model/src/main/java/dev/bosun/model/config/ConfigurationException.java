package dev.bosun.model.config;

import dev.bosun.model.error.BosunException;
import dev.bosun.model.error.ErrorCode;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration file that cannot be used, with every problem found in it. The message lists the
 * problems one per line in {@link ConfigurationError#toString()} form; it never holds a stack trace
 * or a library's class names.
 */
public final class ConfigurationException extends BosunException {
  private final List<ConfigurationError> errors;

  public ConfigurationException(List<ConfigurationError> errors) {
    super(ErrorCode.INVALID_CONFIGURATION, describe(errors));
    this.errors = List.copyOf(errors);
  }

  /** The problems in file order; never empty. */
  public List<ConfigurationError> errors() {
    return errors;
  }

  private static String describe(List<ConfigurationError> errors) {
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a configuration exception needs at least one error");
    }
    return errors.stream().map(ConfigurationError::toString).collect(Collectors.joining("\n"));
  }
}
