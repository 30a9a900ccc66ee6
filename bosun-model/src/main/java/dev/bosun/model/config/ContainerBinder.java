package dev.bosun.model.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Binds the container fields of a run: {@code image}, {@code python}, {@code entrypoint}, {@code
 * user}, {@code privileged}, {@code registry_auth} and {@code volumes}. Tasks and dev environments
 * share it through {@link RunBinder}.
 */
final class ContainerBinder {
  /** The fields that only mean something in a container, in table order. */
  private static final List<String> NEED_A_CONTAINER =
      List.of("entrypoint", "user", "privileged", "registry_auth", "volumes");

  private final NodeReader reader;

  ContainerBinder(NodeReader reader) {
    this.reader = reader;
  }

  /**
   * Takes every container field of {@code fields}. Returns the container, or null when the run
   * gives neither {@code image} nor {@code python} (its jobs run as processes), or after reporting
   * errors.
   */
  ContainerConfig container(MappingReader fields) {
    int before = reader.errors().count();
    YamlNode imageNode = fields.take("image");
    YamlNode pythonNode = fields.take("python");
    String image =
        imageNode == null
            ? null
            : reader.parsed(
                imageNode,
                fields.pathOf("image"),
                "an image such as pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime",
                ContainerFieldRules::image);
    String python = pythonNode == null ? null : python(pythonNode, fields.pathOf("python"));
    if (imageNode != null && pythonNode != null) {
      reader
          .errors()
          .report(
              fields.keyPosition("python"),
              fields.pathOf("python"),
              "'image' and 'python' are mutually exclusive: 'python' asks for a base image with that"
                  + " Python version; give one of them");
    }
    String entrypoint =
        fields.optional(
            "entrypoint",
            (node, path) ->
                reader.parsed(
                    node,
                    path,
                    "a command line such as /bin/bash -lc",
                    ContainerFieldRules::entrypoint));
    String user =
        fields.optional(
            "user",
            (node, path) ->
                reader.parsed(
                    node,
                    path,
                    "a user name or id such as ubuntu or 1000:1000",
                    ContainerFieldRules::user));
    Boolean privileged = fields.optional("privileged", reader::bool);
    ContainerConfig.RegistryAuth registryAuth =
        fields.optional("registry_auth", this::registryAuth);
    List<InstanceVolume> volumes = fields.optional("volumes", this::volumes);
    if (imageNode == null && pythonNode == null) {
      for (String field : NEED_A_CONTAINER) {
        if (fields.isGiven(field)) {
          reader
              .errors()
              .report(
                  fields.keyPosition(field),
                  fields.pathOf(field),
                  "'"
                      + field
                      + "' needs a container: give 'image' (or 'python') too; "
                      + withoutContainer(field));
        }
      }
      return null;
    }
    if (reader.errors().count() > before) {
      return null;
    }
    return new ContainerConfig(
        image, python, entrypoint, user, Boolean.TRUE.equals(privileged), registryAuth, volumes);
  }

  /** What a field would mean to a job without a container, for the message that refuses it. */
  private static String withoutContainer(String field) {
    return switch (field) {
      case "entrypoint" ->
          "without one the job runs as a process on the host, started by its shell";
      case "user" -> "without one the job runs as a process of the agent's user";
      case "privileged" -> "without one the job runs as a process with the agent's privileges";
      case "registry_auth" -> "without one there is no image to pull";
      case "volumes" -> "without one the job runs on the host and sees its directories directly";
      default -> throw new IllegalArgumentException("not a container field: " + field);
    };
  }

  /**
   * A version in quotes, {@code "3.12"}. An unquoted one is a YAML number, whose text as written
   * still tells {@code 3.10} from {@code 3.1}: a supported version is taken as dstack takes it, and
   * any other number gets the advice to quote it.
   */
  private String python(YamlNode node, FieldPath path) {
    String text = reader.text(node, path, "a Python version such as \"3.12\"");
    if (text == null) {
      return null;
    }
    try {
      return ContainerFieldRules.python(text);
    } catch (IllegalArgumentException e) {
      boolean number =
          node instanceof YamlNode.Scalar scalar && scalar.kind() == YamlNode.Scalar.Kind.NUMBER;
      reader.report(
          node,
          path,
          number
              ? "unsupported python version "
                  + text
                  + ": expected "
                  + ContainerFieldRules.pythonVersions()
                  + " in quotes, e.g. python: \"3.10\" (unquoted, YAML reads 3.10 as the number 3.1)"
              : e.getMessage());
      return null;
    }
  }

  private ContainerConfig.RegistryAuth registryAuth(YamlNode node, FieldPath path) {
    if (!(node instanceof YamlNode.Mapping mapping)) {
      // Not node.describe(): the text may be the credentials, which no message shows.
      reader.report(
          node,
          path,
          "expected a mapping with username and password, found "
              + (node instanceof YamlNode.Scalar ? "a single value" : node.describe()));
      return null;
    }
    int before = reader.errors().count();
    MappingReader fields =
        new MappingReader(mapping, path, ConfigurationFields.REGISTRY_AUTH, reader.errors());
    String username = credential(fields, "username", "the user name at the registry");
    String password = credential(fields, "password", "the password or access token");
    fields.finish();
    return reader.errors().count() > before
        ? null
        : new ContainerConfig.RegistryAuth(username, password);
  }

  private String credential(MappingReader fields, String field, String meaning) {
    YamlNode node = fields.take(field);
    FieldPath path = fields.pathOf(field);
    if (node == null) {
      reader
          .errors()
          .report(
              fields.position(),
              path,
              "field '" + field + "' is required in registry_auth: " + meaning);
      return null;
    }
    return reader.parsed(
        node, path, "a " + field + " (text)", text -> ContainerFieldRules.credential(field, text));
  }

  private List<InstanceVolume> volumes(YamlNode node, FieldPath path) {
    List<InstanceVolume> volumes =
        reader.list(node, path, "a list of volumes such as /mnt/data:/data", this::volume);
    if (volumes == null) {
      return null;
    }
    List<YamlNode> items = ((YamlNode.Sequence) node).items();
    Map<String, Integer> mountPoints = new HashMap<>();
    boolean unique = true;
    for (int i = 0; i < volumes.size(); i++) {
      InstanceVolume volume = volumes.get(i);
      Integer first = mountPoints.putIfAbsent(volume.mountPoint(), i);
      if (first != null) {
        reader.report(
            items.get(i),
            path.item(i),
            "container path "
                + volume.containerPath()
                + " is already mounted by "
                + path.item(first)
                + "; each container path takes one volume");
        unique = false;
      }
    }
    return unique ? volumes : null;
  }

  private InstanceVolume volume(YamlNode node, FieldPath path) {
    if (!(node instanceof YamlNode.Mapping mapping)) {
      return reader.parsed(
          node, path, "a volume: " + ContainerFieldRules.VOLUME_FORM, InstanceVolume::parse);
    }
    int before = reader.errors().count();
    MappingReader fields =
        new MappingReader(
            mapping,
            path,
            ConfigurationFields.VOLUME,
            ConfigurationFields.VOLUME_UNSUPPORTED,
            reader.errors());
    // A mapping with dstack's name of a network volume is reported once, as coming later.
    boolean network = mapping.entries().stream().anyMatch(entry -> entry.key().equals("name"));
    String hostPath =
        volumePath(
            fields,
            path,
            "instance_path",
            "the absolute path on the host, e.g. instance_path: /mnt/data",
            ContainerFieldRules::hostPath,
            !network);
    String containerPath =
        volumePath(
            fields,
            path,
            "path",
            "the absolute path in the container, e.g. path: /data",
            ContainerFieldRules::containerPath,
            true);
    Boolean optional = fields.optional("optional", reader::bool);
    fields.finish();
    return reader.errors().count() > before
        ? null
        : new InstanceVolume(hostPath, containerPath, Boolean.TRUE.equals(optional));
  }

  private String volumePath(
      MappingReader fields,
      FieldPath item,
      String field,
      String meaning,
      Function<String, String> rule,
      boolean reportMissing) {
    YamlNode node = fields.take(field);
    FieldPath path = fields.pathOf(field);
    if (node == null) {
      if (reportMissing) {
        reader
            .errors()
            .report(
                fields.position(),
                path,
                "field '" + field + "' is required in " + item + ": " + meaning);
      }
      return null;
    }
    return reader.parsed(node, path, "an absolute path", rule);
  }
}
