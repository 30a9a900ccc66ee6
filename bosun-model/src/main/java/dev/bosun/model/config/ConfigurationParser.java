package dev.bosun.model.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Reads a configuration file ({@code *.bosun.yml}, or a dstack {@code .dstack.yml}) into a {@link
 * RunConfiguration}.
 *
 * <p>Every problem is a {@link ConfigurationException} listing {@link ConfigurationError}s with
 * file, line, column and field path: invalid YAML, an empty file, duplicate keys, a missing or
 * unsupported {@code type}, unknown fields (with a spelling suggestion), dstack fields that Bosun
 * does not support yet, and values that break the resource grammar. No other exception escapes for
 * any input text.
 */
public final class ConfigurationParser {
  private static final String UNNAMED_FILE = "<configuration>";

  private ConfigurationParser() {}

  /**
   * Parses one configuration.
   *
   * @param yamlText the file's text
   * @param fileName the name to put in error messages, as the user knows the file; null for none
   * @throws ConfigurationException when the file cannot be used, with every problem found
   */
  public static RunConfiguration parse(String yamlText, String fileName) {
    Objects.requireNonNull(yamlText, "yamlText is null");
    ErrorCollector errors =
        new ErrorCollector(fileName == null || fileName.isBlank() ? UNNAMED_FILE : fileName);
    YamlNode root = YamlTreeReader.read(yamlText, errors);
    errors.throwIfAny();
    if (root == null) {
      throw errors.fail(
          new YamlNode.Position(1, 1),
          FieldPath.ROOT,
          "the file is empty; a configuration needs at"
              + " least a type and commands, e.g. 'type: task' and 'commands: [\"python train.py\"]'");
    }
    if (!(root instanceof YamlNode.Mapping mapping)) {
      throw errors.fail(
          root.position(),
          FieldPath.ROOT,
          "the top level of a configuration must be a mapping of"
              + " fields such as 'type: task', found "
              + root.describe());
    }
    String type = type(mapping, errors);
    errors.throwIfAny();
    RunConfiguration configuration =
        switch (type) {
          case TaskConfiguration.TYPE -> TaskBinder.bind(mapping, errors);
          default ->
              throw new IllegalStateException(
                  "type '" + type + "' is listed as supported but has no binder");
        };
    errors.throwIfAny();
    return Objects.requireNonNull(
        configuration, "the binder returned nothing without reporting an error");
  }

  /** Parses a file, naming it in errors as {@code file} was given. */
  public static RunConfiguration parse(Path file) throws IOException {
    return parse(Files.readString(file), file.toString());
  }

  /** The supported type the file declares, or null after reporting why there is none. */
  private static String type(YamlNode.Mapping root, ErrorCollector errors) {
    FieldPath path = FieldPath.ROOT.key("type");
    List<String> supported = ConfigurationFields.SUPPORTED_TYPES;
    YamlNode node =
        root.entries().stream()
            .filter(entry -> entry.key().equals("type"))
            .map(YamlNode.Entry::value)
            .findFirst()
            .orElse(null);
    if (node == null || node instanceof YamlNode.Scalar scalar && scalar.isNull()) {
      errors.report(
          node == null ? root.position() : node.position(),
          path,
          "field 'type' is required; supported"
              + " types: "
              + String.join(", ", supported)
              + " ("
              + String.join(", ", ConfigurationFields.LATER_TYPES)
              + " come in later releases)");
      return null;
    }
    if (!(node instanceof YamlNode.Scalar scalar)) {
      errors.report(node, path, "expected a type such as task, found " + node.describe());
      return null;
    }
    String type = scalar.text();
    if (supported.contains(type)) {
      return type;
    }
    if (ConfigurationFields.LATER_TYPES.contains(type)) {
      errors.report(
          node,
          path,
          "type '" + type + "' is not supported yet; supported: " + String.join(", ", supported));
    } else {
      String suggestion =
          MappingReader.closest(type, supported)
              .map(name -> "; did you mean '" + name + "'?")
              .orElse("");
      errors.report(
          node,
          path,
          "unknown type '"
              + type
              + "'"
              + suggestion
              + " Supported: "
              + String.join(", ", supported));
    }
    return null;
  }
}
