package dev.bosun.model.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * When a multi-node task counts as finished, named as in dstack's {@code stop_criteria}. The job on
 * the first node is the master; the others are workers.
 */
public enum StopCriteria {
  /** The run is done when every job is done. The default. */
  ALL_DONE("all-done"),
  /** The run is done when the master job is done; the workers still running are stopped. */
  MASTER_DONE("master-done");

  private final String yamlName;

  StopCriteria(String yamlName) {
    this.yamlName = yamlName;
  }

  /** The name configuration files use, such as {@code master-done}. */
  public String yamlName() {
    return yamlName;
  }

  /**
   * The criteria with this YAML name, any case; throws {@link IllegalArgumentException} naming the
   * allowed values.
   */
  public static StopCriteria parse(String text) {
    String wanted = text.strip().toLowerCase(Locale.ROOT);
    for (StopCriteria criteria : values()) {
      if (criteria.yamlName.equals(wanted)) {
        return criteria;
      }
    }
    throw new IllegalArgumentException(
        "invalid stop_criteria '" + text + "': expected " + allowed());
  }

  static List<String> yamlNames() {
    return Arrays.stream(values()).map(StopCriteria::yamlName).toList();
  }

  static String allowed() {
    return Arrays.stream(values()).map(StopCriteria::yamlName).collect(Collectors.joining(" or "));
  }
}
