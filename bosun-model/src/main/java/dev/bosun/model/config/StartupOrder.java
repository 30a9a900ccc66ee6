package dev.bosun.model.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The order in which the jobs of a multi-node task start, named as in dstack's {@code
 * startup_order}. The job on the first node is the master; the others are workers.
 */
public enum StartupOrder {
  /** The jobs start in no particular order. The default. */
  ANY("any"),
  /** The master job starts first; the workers start once it is running. */
  MASTER_FIRST("master-first"),
  /** The workers start first; the master starts once they are all running, as MPI needs. */
  WORKERS_FIRST("workers-first");

  private final String yamlName;

  StartupOrder(String yamlName) {
    this.yamlName = yamlName;
  }

  /** The name configuration files use, such as {@code master-first}. */
  public String yamlName() {
    return yamlName;
  }

  /**
   * The order with this YAML name, any case; throws {@link IllegalArgumentException} naming the
   * allowed values.
   */
  public static StartupOrder parse(String text) {
    String wanted = text.strip().toLowerCase(Locale.ROOT);
    for (StartupOrder order : values()) {
      if (order.yamlName.equals(wanted)) {
        return order;
      }
    }
    throw new IllegalArgumentException(
        "invalid startup_order '" + text + "': expected " + allowed());
  }

  static List<String> yamlNames() {
    return Arrays.stream(values()).map(StartupOrder::yamlName).toList();
  }

  static String allowed() {
    List<String> names = yamlNames();
    return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.getLast();
  }
}
