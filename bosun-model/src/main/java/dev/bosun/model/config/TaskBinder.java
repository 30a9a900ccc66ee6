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

  private TaskBinder(ErrorCollector errors) {
    this.run = new RunBinder(errors);
  }

  /** The configuration, or null when errors were reported. */
  static TaskConfiguration bind(YamlNode.Mapping root, ErrorCollector errors) {
    TaskBinder binder = new TaskBinder(errors);
    return binder.run.bind(
        root, ConfigurationFields.TASK, ConfigurationFields.TASK_UNSUPPORTED, binder::own);
  }

  private Function<RunBinder.RunFields, TaskConfiguration> own(MappingReader fields) {
    List<String> commands =
        run.requiredCommands(fields, "to run, e.g. commands: [\"python train.py\"]");
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
}
