package dev.bosun.model.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the fields of one YAML mapping against its field table. Every key the binder does not take
 * is reported when the binder calls {@link #finish()}: as not supported yet when it is a known
 * dstack field, otherwise as unknown with a spelling suggestion and the list of allowed fields.
 */
final class MappingReader {
  private final YamlNode.Mapping mapping;
  private final FieldPath path;
  private final List<FieldSpec> fields;
  private final List<UnsupportedField> unsupported;
  private final ErrorCollector errors;
  private final Set<String> taken = new HashSet<>();

  MappingReader(
      YamlNode.Mapping mapping,
      FieldPath path,
      List<FieldSpec> fields,
      List<UnsupportedField> unsupported,
      ErrorCollector errors) {
    this.mapping = mapping;
    this.path = path;
    this.fields = fields;
    this.unsupported = unsupported;
    this.errors = errors;
  }

  MappingReader(
      YamlNode.Mapping mapping, FieldPath path, List<FieldSpec> fields, ErrorCollector errors) {
    this(mapping, path, fields, List.of(), errors);
  }

  /** The path of the mapping itself; empty at the top level. */
  FieldPath path() {
    return path;
  }

  /** Whether the field table has this field, so that {@link #take} may read it. */
  boolean allows(String field) {
    return fields.stream().anyMatch(spec -> spec.name().equals(field));
  }

  /** The path of a field of this mapping. */
  FieldPath pathOf(String field) {
    return path.key(field);
  }

  /** Where the mapping starts, for errors about a missing field. */
  YamlNode.Position position() {
    return mapping.position();
  }

  /** Whether the file gives the field a value: it is there and its value is not empty. */
  boolean isGiven(String field) {
    return mapping.entries().stream()
        .anyMatch(
            entry ->
                entry.key().equals(field)
                    && !(entry.value() instanceof YamlNode.Scalar scalar && scalar.isNull()));
  }

  /**
   * Where the key of a field is written, or where the mapping starts when the field is left out.
   */
  YamlNode.Position keyPosition(String field) {
    return mapping.entries().stream()
        .filter(entry -> entry.key().equals(field))
        .map(YamlNode.Entry::keyPosition)
        .findFirst()
        .orElse(mapping.position());
  }

  /**
   * The value of a field of the table, or null when the file leaves it out or gives it an empty
   * value ({@code key:} with nothing after it), which dstack also reads as "not given".
   */
  YamlNode take(String field) {
    if (fields.stream().noneMatch(spec -> spec.name().equals(field))) {
      throw new IllegalStateException(
          "field '" + field + "' is not in the field table of " + describePath());
    }
    taken.add(field);
    for (YamlNode.Entry entry : mapping.entries()) {
      if (entry.key().equals(field)) {
        return entry.value() instanceof YamlNode.Scalar scalar && scalar.isNull()
            ? null
            : entry.value();
      }
    }
    return null;
  }

  /** The field's value through {@code read}, or null when the file leaves the field out. */
  <T> T optional(String field, NodeReader.ItemReader<T> read) {
    YamlNode value = take(field);
    return value == null ? null : read.read(value, pathOf(field));
  }

  /**
   * Reports every key that was not taken. Fails loudly when a field of the table was never read: a
   * binder bug.
   */
  void finish() {
    for (FieldSpec field : fields) {
      if (!taken.contains(field.name())) {
        throw new IllegalStateException(
            "the binder never reads field '" + field.name() + "' of " + describePath());
      }
    }
    List<String> allowed = ConfigurationFields.names(fields);
    for (YamlNode.Entry entry : mapping.entries()) {
      if (taken.contains(entry.key())) {
        continue;
      }
      Optional<UnsupportedField> later =
          unsupported.stream().filter(field -> field.name().equals(entry.key())).findFirst();
      String message =
          later.map(UnsupportedField::message).orElseGet(() -> unknown(entry.key(), allowed));
      errors.report(entry.keyPosition(), path.key(entry.key()), message);
    }
  }

  private String unknown(String key, List<String> allowed) {
    String where = path.text().isEmpty() ? "" : " in " + path.text();
    String suggestion =
        closest(key, allowed)
            .map(name -> "; did you mean '" + name + "'? Allowed")
            .orElse("; allowed");
    return "unknown field '"
        + key
        + "'"
        + where
        + suggestion
        + " fields: "
        + String.join(", ", allowed);
  }

  private String describePath() {
    return path.text().isEmpty() ? "the top level" : path.text();
  }

  /**
   * The allowed name a typo most likely meant: at most two edits away, ignoring case and '-' versus
   * '_'.
   */
  static Optional<String> closest(String word, List<String> candidates) {
    String normalized = normalize(word);
    List<String> close = new ArrayList<>();
    for (String candidate : candidates) {
      int distance = editDistance(normalized, normalize(candidate));
      if (distance <= Math.min(2, Math.max(1, candidate.length() / 3))) {
        close.add(candidate);
      }
    }
    return close.stream()
        .min(Comparator.comparingInt(candidate -> editDistance(normalized, normalize(candidate))));
  }

  private static String normalize(String word) {
    return word.toLowerCase(Locale.ROOT).replace('-', '_');
  }

  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
