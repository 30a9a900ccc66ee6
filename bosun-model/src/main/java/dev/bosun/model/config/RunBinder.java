package dev.bosun.model.config;

import dev.bosun.model.resources.ResourcesSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Binds the top-level mapping of a run file: the fields every run type shares, read here once for
 * {@link TaskBinder}, {@link ServiceBinder} and {@link DevEnvironmentBinder}, which read the fields
 * of their own type. {@code ports}, which a service does not take, is read when the type's table
 * has it.
 */
final class RunBinder {
  private final NodeReader reader;
  private final RunProfileBinder profile;
  private final RunPlacementBinder placement;

  RunBinder(ErrorCollector errors) {
    this.reader = new NodeReader(errors);
    this.profile = new RunProfileBinder(reader);
    this.placement = new RunPlacementBinder(reader);
  }

  NodeReader reader() {
    return reader;
  }

  RunProfileBinder profile() {
    return profile;
  }

  RunPlacementBinder placement() {
    return placement;
  }

  /** Reads the fields of one run type. */
  @FunctionalInterface
  interface TypeFields<T extends RunConfiguration> {
    /**
     * Takes the type's own fields from {@code fields}, reporting their errors, and returns how to
     * build the configuration from the shared ones once no error was reported.
     */
    Function<RunFields, T> read(MappingReader fields);
  }

  /**
   * The configuration of a run file whose fields are in {@code table}: the shared fields, and the
   * type's own through {@code own}. Null when errors were reported.
   */
  <T extends RunConfiguration> T bind(
      YamlNode.Mapping root,
      List<FieldSpec> table,
      List<UnsupportedField> unsupported,
      TypeFields<T> own) {
    int before = reader.errors().count();
    MappingReader fields =
        new MappingReader(root, FieldPath.ROOT, table, unsupported, reader.errors());
    fields.take("type"); // checked by ConfigurationParser, which chose the binder from it
    Function<RunFields, T> build = own.read(fields);
    RunFields shared = shared(fields);
    fields.finish();
    return reader.errors().count() > before ? null : build.apply(shared);
  }

  /** A list of shell commands, none blank; it may be empty. */
  List<String> commands(YamlNode node, FieldPath path) {
    return reader.list(
        node,
        path,
        "a list of commands",
        (item, at) -> reader.parsed(item, at, "a command", RunFieldRules::command));
  }

  /**
   * The required {@code commands} of a task or service: a list of at least one command; null after
   * reporting it missing, empty or bad.
   *
   * @param purpose what the commands do, completing "the shell commands ..." in the message for a
   *     missing field, with an example
   */
  List<String> requiredCommands(MappingReader fields, String purpose) {
    YamlNode node = fields.take("commands");
    FieldPath path = fields.pathOf("commands");
    if (node == null) {
      reader
          .errors()
          .report(
              fields.position(),
              path,
              "field 'commands' is required: the shell commands " + purpose);
      return null;
    }
    List<String> commands = commands(node, path);
    if (commands != null && commands.isEmpty()) {
      reader.report(
          node,
          path,
          "commands must hold at least one command, e.g. commands: [\"python train.py\"]");
      return null;
    }
    return commands;
  }

  private RunFields shared(MappingReader fields) {
    String name =
        fields.optional(
            "name",
            (node, path) -> reader.parsed(node, path, "a run name", RunFieldRules::runName));
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
    Integer priority = fields.optional("priority", this::priority);
    Boolean preemptible = fields.optional("preemptible", placement::preemptible);
    RetryPolicy retry = fields.optional("retry", profile::retry);
    TimeLimit maxDuration = fields.optional("max_duration", profile::timeLimit);
    TimeLimit stopDuration = fields.optional("stop_duration", profile::timeLimit);
    List<PortMapping> ports = fields.allows("ports") ? fields.optional("ports", this::ports) : null;
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
    return new RunFields(
        name,
        env,
        workingDir,
        shell,
        container,
        resources,
        priority,
        Boolean.TRUE.equals(preemptible),
        retry,
        maxDuration,
        stopDuration,
        ports,
        fleets,
        backends,
        instanceTypes,
        maxPrice,
        tags);
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

  /** The shared fields of a run file as bound, each null (or false) when the file leaves it out. */
  record RunFields(
      String name,
      Environment env,
      String workingDir,
      String shell,
      ContainerConfig container,
      ResourcesSpec resources,
      Integer priority,
      boolean preemptible,
      RetryPolicy retry,
      TimeLimit maxDuration,
      TimeLimit stopDuration,
      List<PortMapping> ports,
      List<String> fleets,
      List<String> backends,
      List<String> instanceTypes,
      Double maxPrice,
      Map<String, String> tags) {}
}
