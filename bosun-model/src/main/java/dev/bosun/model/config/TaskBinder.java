package dev.bosun.model.config;

import dev.bosun.model.resources.ResourcesSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Binds the top-level mapping of a {@code type: task} file to a {@link TaskConfiguration}. */
final class TaskBinder {
  private final NodeReader reader;
  private final RunProfileBinder profile;
  private final RunPlacementBinder placement;

  private TaskBinder(ErrorCollector errors) {
    this.reader = new NodeReader(errors);
    this.profile = new RunProfileBinder(reader);
    this.placement = new RunPlacementBinder(reader);
  }

  /** The configuration, or null when errors were reported. */
  static TaskConfiguration bind(YamlNode.Mapping root, ErrorCollector errors) {
    return new TaskBinder(errors).bind(root);
  }

  private TaskConfiguration bind(YamlNode.Mapping root) {
    int before = reader.errors().count();
    MappingReader fields =
        new MappingReader(
            root,
            FieldPath.ROOT,
            ConfigurationFields.TASK,
            ConfigurationFields.TASK_UNSUPPORTED,
            reader.errors());
    fields.take("type"); // checked by ConfigurationParser, which chose this binder from it
    String name =
        fields.optional(
            "name",
            (node, path) -> reader.parsed(node, path, "a run name", RunFieldRules::runName));
    List<String> commands = commands(fields);
    Environment env = fields.optional("env", profile::environment);
    String workingDir =
        fields.optional(
            "working_dir",
            (node, path) -> reader.parsed(node, path, "a directory", RunFieldRules::workingDir));
    String shell =
        fields.optional(
            "shell",
            (node, path) ->
                reader.parsed(node, path, "sh, bash or an absolute path", RunFieldRules::shell));
    ContainerConfig container = new ContainerBinder(reader).container(fields);
    ResourcesSpec resources =
        new ResourcesBinder(reader).resources(fields.take("resources"), fields.pathOf("resources"));
    Integer nodes = fields.optional("nodes", placement::nodes);
    StartupOrder startupOrder = fields.optional("startup_order", placement::startupOrder);
    StopCriteria stopCriteria = fields.optional("stop_criteria", placement::stopCriteria);
    Integer priority = fields.optional("priority", this::priority);
    Boolean preemptible = fields.optional("preemptible", placement::preemptible);
    RetryPolicy retry = fields.optional("retry", profile::retry);
    TimeLimit maxDuration = fields.optional("max_duration", profile::timeLimit);
    TimeLimit stopDuration = fields.optional("stop_duration", profile::timeLimit);
    List<PortMapping> ports = fields.optional("ports", this::ports);
    List<String> fleets =
        fields.optional(
            "fleets",
            (node, path) ->
                reader.list(
                    node,
                    path,
                    "a list of fleet names",
                    (item, at) ->
                        reader.parsed(item, at, "a fleet name", RunFieldRules::fleetReference)));
    List<String> backends = fields.optional("backends", placement::backends);
    List<String> instanceTypes = fields.optional("instance_types", placement::instanceTypes);
    Double maxPrice = fields.optional("max_price", placement::maxPrice);
    Map<String, String> tags = fields.optional("tags", profile::tags);
    fields.finish();
    if (reader.errors().count() > before) {
      return null;
    }
    return new TaskConfiguration(
        name,
        commands,
        env,
        workingDir,
        shell,
        resources,
        priority,
        retry,
        maxDuration,
        stopDuration,
        ports,
        fleets,
        tags,
        nodes == null ? TaskConfiguration.DEFAULT_NODES : nodes,
        startupOrder,
        stopCriteria,
        Boolean.TRUE.equals(preemptible),
        backends,
        instanceTypes,
        maxPrice,
        container);
  }

  private List<String> commands(MappingReader fields) {
    YamlNode node = fields.take("commands");
    FieldPath path = fields.pathOf("commands");
    if (node == null) {
      reader
          .errors()
          .report(
              fields.position(),
              path,
              "field 'commands' is required: the shell commands to run, e.g. commands: [\"python train.py\"]");
      return null;
    }
    List<String> commands =
        reader.list(
            node,
            path,
            "a list of commands",
            (item, at) -> reader.parsed(item, at, "a command", RunFieldRules::command));
    if (commands != null && commands.isEmpty()) {
      reader.report(
          node,
          path,
          "commands must hold at least one command, e.g. commands: [\"python train.py\"]");
      return null;
    }
    return commands;
  }

  private Integer priority(YamlNode node, FieldPath path) {
    Integer priority =
        reader.integer(node, path, "a whole number from 0 to " + RunFieldRules.MAX_PRIORITY);
    if (priority == null) {
      return null;
    }
    try {
      return RunFieldRules.priority(priority);
    } catch (IllegalArgumentException e) {
      reader.report(node, path, e.getMessage());
      return null;
    }
  }

  private List<PortMapping> ports(YamlNode node, FieldPath path) {
    List<PortMapping> ports =
        reader.list(
            node,
            path,
            "a list of ports",
            (item, at) -> reader.parsed(item, at, PortMapping.FORM, PortMapping::parse));
    if (ports == null) {
      return null;
    }
    Map<Integer, Integer> localPorts = new HashMap<>();
    YamlNode.Sequence items = (YamlNode.Sequence) node;
    for (int i = 0; i < ports.size(); i++) {
      Integer local = ports.get(i).localPort();
      Integer first = local == null ? null : localPorts.putIfAbsent(local, i);
      if (first != null) {
        reader.report(
            items.items().get(i),
            path.item(i),
            "local port "
                + local
                + " is already used by "
                + path.item(first)
                + "; each local port can forward once");
      }
    }
    return ports;
  }
}
