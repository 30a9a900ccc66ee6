package dev.bosun.model.config;

import java.util.List;
import java.util.Objects;

/**
 * A node of a parsed YAML document that remembers where it was written, so that every error can
 * point at its line and column. Scalars keep the text as written: the binder, not YAML's type
 * rules, decides what a value means.
 */
sealed interface YamlNode permits YamlNode.Mapping, YamlNode.Sequence, YamlNode.Scalar {
  /** Where the node starts in the file. */
  Position position();

  /** What the node is, for messages: "a mapping", "a list", "the number 8". */
  String describe();

  /** A 1-based line and column. */
  record Position(int line, int column) {}

  /** One key of a mapping with the position of the key itself. */
  record Entry(String key, Position keyPosition, YamlNode value) {
    public Entry {
      Objects.requireNonNull(key, "key is null");
      Objects.requireNonNull(value, "value is null");
    }
  }

  /** A mapping; its keys are unique (the reader reports duplicates and keeps the first). */
  record Mapping(List<Entry> entries, Position position) implements YamlNode {
    public Mapping {
      entries = List.copyOf(entries);
    }

    @Override
    public String describe() {
      return "a mapping";
    }
  }

  /** A list. */
  record Sequence(List<YamlNode> items, Position position) implements YamlNode {
    public Sequence {
      items = List.copyOf(items);
    }

    @Override
    public String describe() {
      return "a list";
    }
  }

  /** A scalar with the text as written and the kind YAML gave it. */
  record Scalar(String text, Kind kind, Position position) implements YamlNode {
    /** How YAML resolved the scalar. */
    enum Kind {
      STRING,
      NUMBER,
      /**
       * {@code true}, and in YAML 1.1 as dstack's parser reads it, also {@code yes} and {@code on}.
       */
      TRUE,
      /** {@code false}, and in YAML 1.1 also {@code no} and {@code off}. */
      FALSE,
      NULL
    }

    public Scalar {
      Objects.requireNonNull(text, "text is null");
      Objects.requireNonNull(kind, "kind is null");
    }

    boolean isNull() {
      return kind == Kind.NULL;
    }

    @Override
    public String describe() {
      return switch (kind) {
        case STRING -> "the text '" + text + "'";
        case NUMBER -> "the number " + text;
        case TRUE, FALSE -> "the value " + text;
        case NULL -> "an empty value";
      };
    }
  }
}
