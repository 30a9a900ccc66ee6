package dev.bosun.model.config;

import java.util.List;
import java.util.function.Function;

/**
 * Binds the top-level mapping of a {@code type: dev-environment} file to a {@link
 * DevEnvironmentConfiguration}: its {@code ide}, {@code version}, {@code init} and {@code
 * inactivity_duration}, with the fields every run shares read by {@link RunBinder}.
 */
final class DevEnvironmentBinder {
  private final RunBinder run;
  private final NodeReader reader;

  private DevEnvironmentBinder(ErrorCollector errors) {
    this.run = new RunBinder(errors);
    this.reader = run.reader();
  }

  /** The configuration, or null when errors were reported. */
  static DevEnvironmentConfiguration bind(YamlNode.Mapping root, ErrorCollector errors) {
    DevEnvironmentBinder binder = new DevEnvironmentBinder(errors);
    return binder.run.bind(
        root,
        ConfigurationFields.DEV_ENVIRONMENT,
        ConfigurationFields.DEV_ENVIRONMENT_UNSUPPORTED,
        binder::own);
  }

  private Function<RunBinder.RunFields, DevEnvironmentConfiguration> own(MappingReader fields) {
    String ide =
        fields.optional(
            "ide",
            (node, path) ->
                reader.parsed(
                    node,
                    path,
                    "an IDE: " + String.join(", ", DevEnvironmentConfiguration.IDES),
                    RunFieldRules::ide));
    String version =
        fields.optional(
            "version",
            (node, path) ->
                reader.parsed(node, path, "a version such as 1.95.3", RunFieldRules::ideVersion));
    List<String> init = fields.optional("init", run::commands);
    TimeLimit inactivityDuration = fields.optional("inactivity_duration", run.profile()::timeLimit);
    return shared ->
        new DevEnvironmentConfiguration(
            shared.name(),
            ide,
            version,
            init,
            shared.env(),
            shared.workingDir(),
            shared.shell(),
            shared.resources(),
            shared.priority(),
            shared.retry(),
            shared.maxDuration(),
            shared.stopDuration(),
            inactivityDuration,
            shared.ports(),
            shared.fleets(),
            shared.tags(),
            shared.preemptible(),
            shared.backends(),
            shared.instanceTypes(),
            shared.maxPrice(),
            shared.container());
  }
}
