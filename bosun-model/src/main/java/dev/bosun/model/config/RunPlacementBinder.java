package dev.bosun.model.config;

import java.util.List;
import java.util.function.Function;

/**
 * Binds the fields that say how a run's jobs are placed and kept: {@code nodes}, {@code
 * startup_order}, {@code stop_criteria}, {@code preemptible}, and dstack's profile filters {@code
 * backends}, {@code instance_types} and {@code max_price}.
 */
final class RunPlacementBinder {
  private static final String NODES_FORM = "a whole number from 1 to " + RunFieldRules.MAX_NODES;

  private final NodeReader reader;

  RunPlacementBinder(NodeReader reader) {
    this.reader = reader;
  }

  /**
   * {@code nodes}: one whole number, as in dstack, whose tasks take no range (fleets do); a range
   * is refused with a message saying so.
   */
  Integer nodes(YamlNode node, FieldPath path) {
    if (node instanceof YamlNode.Scalar scalar && scalar.text().contains("..")) {
      reader.report(
          node,
          path,
          "invalid nodes '"
              + scalar.text()
              + "': a task takes one number of nodes, e.g. nodes: 2 (ranges such as 1..4 are for a"
              + " fleet's nodes)");
      return null;
    }
    Integer nodes = reader.integer(node, path, NODES_FORM);
    if (nodes == null) {
      return null;
    }
    try {
      return RunFieldRules.nodes(nodes);
    } catch (IllegalArgumentException e) {
      reader.report(node, path, e.getMessage());
      return null;
    }
  }

  StartupOrder startupOrder(YamlNode node, FieldPath path) {
    return reader.parsed(node, path, StartupOrder.allowed(), StartupOrder::parse);
  }

  StopCriteria stopCriteria(YamlNode node, FieldPath path) {
    return reader.parsed(node, path, StopCriteria.allowed(), StopCriteria::parse);
  }

  Boolean preemptible(YamlNode node, FieldPath path) {
    return reader.bool(node, path);
  }

  List<String> backends(YamlNode node, FieldPath path) {
    return names(node, path, "backends", "backend", RunFieldRules::backend);
  }

  List<String> instanceTypes(YamlNode node, FieldPath path) {
    return names(node, path, "instance_types", "instance type", RunFieldRules::instanceType);
  }

  Double maxPrice(YamlNode node, FieldPath path) {
    return reader.parsed(
        node, path, "a number of dollars per hour, e.g. 2.5", RunFieldRules::parseMaxPrice);
  }

  /** A list of at least one name, each checked by {@code rule}, in file order. */
  private List<String> names(
      YamlNode node, FieldPath path, String field, String what, Function<String, String> rule) {
    List<String> names =
        reader.list(
            node,
            path,
            "a list of " + what + "s",
            (item, at) -> reader.parsed(item, at, "a " + what, rule));
    if (names != null && names.isEmpty()) {
      reader.report(
          node,
          path,
          field + " must not be empty: list at least one " + what + ", or leave it out for any");
      return null;
    }
    return names;
  }
}
