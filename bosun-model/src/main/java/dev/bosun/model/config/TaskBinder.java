package dev.bosun.model.config;

import java.util.List;
import java.util.function.Function;

/**
 * Binds the top-level mapping of a {@code type: task} file to a {@link TaskConfiguration}: its
 * {@code commands} and multi-node fields, with the fields every run shares read by {@link
 * RunBinder}.
 */
final class TaskBinder {
  private final RunBinder run;
  private final NodeReader reader;

  private TaskBinder(ErrorCollector errors) {
    this.run = new RunBinder(errors);
    this.reader = run.reader();
  }

  /** The configuration, or null when errors were reported. */
  static TaskConfiguration bind(YamlNode.Mapping root, ErrorCollector errors) {
    TaskBinder binder = new TaskBinder(errors);
    return binder.run.bind(
        root, ConfigurationFields.TASK, ConfigurationFields.TASK_UNSUPPORTED, binder::own);
  }

  private Function<RunBinder.RunFields, TaskConfiguration> own(MappingReader fields) {
    List<String> commands = commands(fields);
    RunPlacementBinder placement = run.placement();
    Integer nodes = fields.optional("nodes", placement::nodes);
    StartupOrder startupOrder = fields.optional("startup_order", placement::startupOrder);
    StopCriteria stopCriteria = fields.optional("stop_criteria", placement::stopCriteria);
    return shared ->
        new TaskConfiguration(
            shared.name(),
            commands,
            shared.env(),
            shared.workingDir(),
            shared.shell(),
            shared.resources(),
            shared.priority(),
            shared.retry(),
            shared.maxDuration(),
            shared.stopDuration(),
            shared.ports(),
            shared.fleets(),
            shared.tags(),
            nodes == null ? TaskConfiguration.DEFAULT_NODES : nodes,
            startupOrder,
            stopCriteria,
            shared.preemptible(),
            shared.backends(),
            shared.instanceTypes(),
            shared.maxPrice(),
            shared.container());
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
    List<String> commands = run.commands(node, path);
    if (commands != null && commands.isEmpty()) {
      reader.report(
          node,
          path,
          "commands must hold at least one command, e.g. commands: [\"python train.py\"]");
      return null;
    }
    return commands;
  }
}
