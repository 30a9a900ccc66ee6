package dev.bosun.model.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Reads a configuration file ({@code *.bosun.yml}, or a dstack {@code .dstack.yml}): {@link
 * #parseAny} into any {@link Configuration}, a run or a fleet, and {@link #parse} where only a run
 * will do.
 *
 * <p>Every problem is a {@link ConfigurationException} listing {@link ConfigurationError}s with
 * file, line, column and field path: invalid YAML, an empty file, duplicate keys, a missing or
 * unsupported {@code type}, unknown fields (with a spelling suggestion), dstack fields that Bosun
 * does not support yet, and values that break the resource grammar or the SSH settings. No other
 * exception escapes for any input text.
 */
public final class ConfigurationParser {
  private static final String UNNAMED_FILE = "<configuration>";

  private ConfigurationParser() {}

  /**
   * Parses one run configuration. A fleet file is refused with an error that says so: use {@link
   * #parseAny} where fleets are welcome too.
   *
   * @param yamlText the file's text
   * @param fileName the name to put in error messages, as the user knows the file; null for none
   * @throws ConfigurationException when the file cannot be used, with every problem found
   */
  public static RunConfiguration parse(String yamlText, String fileName) {
    ErrorCollector errors = collector(yamlText, fileName);
    YamlNode.Mapping root = root(yamlText, errors);
    String type = type(root, errors, ConfigurationFields.RUN_TYPES);
    errors.throwIfAny();
    RunConfiguration configuration = bindRun(type, root, errors);
    errors.throwIfAny();
    return Objects.requireNonNull(
        configuration, "the binder returned nothing without reporting an error");
  }

  /** Parses a run configuration file, naming it in errors as {@code file} was given. */
  public static RunConfiguration parse(Path file) throws IOException {
    return parse(Files.readString(file), file.toString());
  }

  /**
   * Parses one configuration of any supported type: a run ({@code type: task}, {@code type:
   * service} or {@code type: dev-environment}) or a fleet ({@code type: fleet}).
   *
   * @param yamlText the file's text
   * @param fileName the name to put in error messages, as the user knows the file; null for none
   * @throws ConfigurationException when the file cannot be used, with every problem found
   */
  public static Configuration parseAny(String yamlText, String fileName) {
    ErrorCollector errors = collector(yamlText, fileName);
    YamlNode.Mapping root = root(yamlText, errors);
    String type = type(root, errors, ConfigurationFields.SUPPORTED_TYPES);
    errors.throwIfAny();
    Configuration configuration =
        type.equals(FleetConfiguration.TYPE)
            ? FleetBinder.bind(root, errors)
            : bindRun(type, root, errors);
    errors.throwIfAny();
    return Objects.requireNonNull(
        configuration, "the binder returned nothing without reporting an error");
  }

  /** Parses a configuration file of any supported type, naming it in errors as given. */
  public static Configuration parseAny(Path file) throws IOException {
    return parseAny(Files.readString(file), file.toString());
  }

  private static ErrorCollector collector(String yamlText, String fileName) {
    Objects.requireNonNull(yamlText, "yamlText is null");
    return new ErrorCollector(fileName == null || fileName.isBlank() ? UNNAMED_FILE : fileName);
  }

  private static RunConfiguration bindRun(
      String type, YamlNode.Mapping root, ErrorCollector errors) {
    return switch (type) {
      case TaskConfiguration.TYPE -> TaskBinder.bind(root, errors);
      case ServiceConfiguration.TYPE -> ServiceBinder.bind(root, errors);
      case DevEnvironmentConfiguration.TYPE -> DevEnvironmentBinder.bind(root, errors);
      default ->
          throw new IllegalStateException(
              "type '" + type + "' is listed as supported but has no binder");
    };
  }

  /** The top-level mapping; throws when the file is not valid YAML, empty or not a mapping. */
  private static YamlNode.Mapping root(String yamlText, ErrorCollector errors) {
    YamlNode root = YamlTreeReader.read(yamlText, errors);
    errors.throwIfAny();
    if (root == null) {
      throw errors.fail(
          new YamlNode.Position(1, 1),
          FieldPath.ROOT,
          "the file is empty; a configuration needs at least a type and its fields, e.g."
              + " 'type: task' and 'commands: [\"python train.py\"]'");
    }
    if (!(root instanceof YamlNode.Mapping mapping)) {
      throw errors.fail(
          root.position(),
          FieldPath.ROOT,
          "the top level of a configuration must be a mapping of"
              + " fields such as 'type: task', found "
              + root.describe());
    }
    return mapping;
  }

  /** The type the file declares if it is in {@code supported}, or null after reporting why not. */
  private static String type(YamlNode.Mapping root, ErrorCollector errors, List<String> supported) {
    FieldPath path = FieldPath.ROOT.key("type");
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
      errors.report(
          node,
          path,
          "expected a type such as "
              + String.join(" or ", supported)
              + ", found "
              + node.describe());
      return null;
    }
    String type = scalar.text();
    if (supported.contains(type)) {
      return type;
    }
    if (type.equals(FleetConfiguration.TYPE)) {
      // Only parse() gets here: a fleet file where a run is expected, such as a run submission.
      errors.report(
          node,
          path,
          "this is a fleet file (type: fleet), but a run configuration such as type: task is"
              + " expected here");
    } else if (ConfigurationFields.LATER_TYPES.contains(type)) {
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
