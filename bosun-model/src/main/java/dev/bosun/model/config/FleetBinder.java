package dev.bosun.model.config;

import dev.bosun.model.resources.IntRange;
import dev.bosun.model.resources.ResourceGrammar;
import dev.bosun.model.resources.ResourcesSpec;
import java.util.Map;

/** Binds the top-level mapping of a {@code type: fleet} file to a {@link FleetConfiguration}. */
final class FleetBinder {
  private final NodeReader reader;
  private final RunProfileBinder profile;

  private FleetBinder(ErrorCollector errors) {
    this.reader = new NodeReader(errors);
    this.profile = new RunProfileBinder(reader);
  }

  /** The configuration, or null when errors were reported. */
  static FleetConfiguration bind(YamlNode.Mapping root, ErrorCollector errors) {
    return new FleetBinder(errors).bind(root);
  }

  private FleetConfiguration bind(YamlNode.Mapping root) {
    int before = reader.errors().count();
    MappingReader fields =
        new MappingReader(
            root,
            FieldPath.ROOT,
            FleetFields.FLEET,
            FleetFields.FLEET_UNSUPPORTED,
            reader.errors());
    fields.take("type"); // checked by ConfigurationParser, which chose this binder from it
    String name = name(fields);
    FleetPlacement placement =
        fields.optional(
            "placement",
            (node, path) ->
                reader.parsed(node, path, FleetPlacement.allowed(), FleetPlacement::parse));
    YamlNode nodesNode = fields.take("nodes");
    IntRange nodes =
        nodesNode == null
            ? null
            : reader.parsed(
                nodesNode,
                fields.pathOf("nodes"),
                "a number or range such as 2 or 1..4",
                ResourceGrammar::parseIntRange);
    Blocks blocks = fields.optional("blocks", SshConfigBinder.blocks(reader));
    Environment env = fields.optional("env", profile::environment);
    ResourcesSpec resources =
        new ResourcesBinder(reader).resources(fields.take("resources"), fields.pathOf("resources"));
    TimeLimit idleDuration = fields.optional("idle_duration", profile::timeLimit);
    SshConfig sshConfig = sshConfig(fields);
    Map<String, String> tags = fields.optional("tags", profile::tags);
    fields.finish();
    if (nodes != null && sshConfig != null) {
      try {
        FleetConfiguration.nodesMatchHosts(nodes, sshConfig.hosts().size());
      } catch (IllegalArgumentException e) {
        reader.report(nodesNode, fields.pathOf("nodes"), e.getMessage());
      }
    }
    if (reader.errors().count() > before) {
      return null;
    }
    try {
      return new FleetConfiguration(
          name, placement, nodes, blocks, env, resources, idleDuration, sshConfig, tags);
    } catch (IllegalArgumentException e) {
      // The checks above mirror the record's; this keeps the parser's promise if they drift apart.
      reader.report(root, FieldPath.ROOT, e.getMessage());
      return null;
    }
  }

  private String name(MappingReader fields) {
    YamlNode node = fields.take("name");
    if (node == null) {
      reader
          .errors()
          .report(
              fields.position(),
              fields.pathOf("name"),
              "field 'name' is required: a fleet needs a name, e.g. name: my-fleet");
      return null;
    }
    return reader.parsed(node, fields.pathOf("name"), "a fleet name", RunFieldRules::fleetName);
  }

  private SshConfig sshConfig(MappingReader fields) {
    YamlNode node = fields.take("ssh_config");
    if (node == null) {
      reader
          .errors()
          .report(
              fields.position(),
              fields.pathOf("ssh_config"),
              "field 'ssh_config' is required: the hosts to reach over SSH, e.g. ssh_config:"
                  + " {user: ubuntu, identity_file: ~/.ssh/id_ed25519, hosts: [10.0.0.5]}"
                  + " (cloud fleets come in a later release)");
      return null;
    }
    return new SshConfigBinder(reader).bind(node, fields.pathOf("ssh_config"));
  }
}
