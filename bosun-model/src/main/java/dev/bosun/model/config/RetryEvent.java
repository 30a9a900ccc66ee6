package dev.bosun.model.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * An event after which a run with a {@link RetryPolicy} is resubmitted, named as in dstack's {@code
 * on_events}.
 */
public enum RetryEvent {
  /** No host could take the run. */
  NO_CAPACITY("no-capacity"),
  /** The host went away under the run (a spot instance was reclaimed, a host was lost). */
  INTERRUPTION("interruption"),
  /** The run's commands failed. */
  ERROR("error");

  private final String yamlName;

  RetryEvent(String yamlName) {
    this.yamlName = yamlName;
  }

  /** The name configuration files use, such as {@code no-capacity}. */
  public String yamlName() {
    return yamlName;
  }

  /**
   * The event with this YAML name, any case; throws {@link IllegalArgumentException} naming the
   * allowed events.
   */
  public static RetryEvent parse(String text) {
    String wanted = text.strip().toLowerCase(Locale.ROOT);
    for (RetryEvent event : values()) {
      if (event.yamlName.equals(wanted)) {
        return event;
      }
    }
    throw new IllegalArgumentException("unknown retry event '" + text + "'; expected " + allowed());
  }

  static String allowed() {
    return Arrays.stream(values()).map(RetryEvent::yamlName).collect(Collectors.joining(", "));
  }
}
