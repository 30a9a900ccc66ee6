package dev.bosun.model.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Turns YAML nodes into values, reporting what is wrong at the node's position. Every method
 * returns null after it reports an error, so that binding goes on and finds the next mistake too.
 */
final class NodeReader {
  private final ErrorCollector errors;

  NodeReader(ErrorCollector errors) {
    this.errors = errors;
  }

  ErrorCollector errors() {
    return errors;
  }

  void report(YamlNode node, FieldPath path, String message) {
    errors.report(node, path, message);
  }

  /**
   * The text of a scalar; {@code what} completes "expected ..." when the node is a list or mapping.
   */
  String text(YamlNode node, FieldPath path, String what) {
    if (node instanceof YamlNode.Scalar scalar && !scalar.isNull()) {
      return scalar.text();
    }
    errors.report(node, path, "expected " + what + ", found " + node.describe());
    return null;
  }

  /**
   * A scalar parsed by {@code parser}, whose {@link IllegalArgumentException} messages are meant
   * for the user (the resource grammar's are).
   */
  <T> T parsed(YamlNode node, FieldPath path, String what, Function<String, T> parser) {
    String text = text(node, path, what);
    if (text == null) {
      return null;
    }
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      errors.report(node, path, e.getMessage());
      return null;
    }
  }

  /** A whole number from a YAML integer or text holding one. */
  Integer integer(YamlNode node, FieldPath path, String what) {
    return parsed(
        node,
        path,
        what,
        text -> {
          try {
            return Integer.parseInt(text.strip());
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                "expected " + what + ", found " + node.describe(), e);
          }
        });
  }

  /**
   * {@code true} or {@code false}, as YAML writes them (YAML 1.1's {@code yes}, {@code no}, {@code
   * on} and {@code off} too) or as quoted text; null after reporting anything else.
   */
  Boolean bool(YamlNode node, FieldPath path) {
    if (node instanceof YamlNode.Scalar scalar) {
      switch (scalar.kind()) {
        case TRUE -> {
          return Boolean.TRUE;
        }
        case FALSE -> {
          return Boolean.FALSE;
        }
        case STRING -> {
          if (scalar.text().strip().equalsIgnoreCase("true")) {
            return Boolean.TRUE;
          }
          if (scalar.text().strip().equalsIgnoreCase("false")) {
            return Boolean.FALSE;
          }
        }
        default -> {}
      }
    }
    errors.report(node, path, "expected true or false, found " + node.describe());
    return null;
  }

  /** A mapping, or null after reporting what was found instead. */
  YamlNode.Mapping mapping(YamlNode node, FieldPath path, String what) {
    if (node instanceof YamlNode.Mapping mapping) {
      return mapping;
    }
    errors.report(node, path, "expected " + what + ", found " + node.describe());
    return null;
  }

  /** A list, or null after reporting what was found instead. */
  YamlNode.Sequence sequence(YamlNode node, FieldPath path, String what) {
    if (node instanceof YamlNode.Sequence sequence) {
      return sequence;
    }
    errors.report(node, path, "expected " + what + ", found " + node.describe());
    return null;
  }

  /**
   * Every item of a list through {@code item}, which reports its own errors and returns null for a
   * bad item. The result is null when the node is not a list or any item was bad.
   */
  <T> List<T> list(YamlNode node, FieldPath path, String what, ItemReader<T> item) {
    YamlNode.Sequence sequence = sequence(node, path, what);
    if (sequence == null) {
      return null;
    }
    List<T> values = new ArrayList<>();
    boolean complete = true;
    for (int i = 0; i < sequence.items().size(); i++) {
      T value = item.read(sequence.items().get(i), path.item(i));
      if (value == null) {
        complete = false;
      } else {
        values.add(value);
      }
    }
    return complete ? values : null;
  }

  /** Reads one item of a list. */
  @FunctionalInterface
  interface ItemReader<T> {
    T read(YamlNode item, FieldPath path);
  }
}
