package dev.bosun.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bosun.model.resources.CpuSpec;
import dev.bosun.model.resources.GpuSpec;
import dev.bosun.model.resources.IntRange;
import dev.bosun.model.resources.Memory;
import dev.bosun.model.resources.MemoryRange;
import dev.bosun.model.resources.ResourcesSpec;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code type: dev-environment} files: every field bound, and every mistake located. */
class DevEnvironmentConfigurationTest {
  private static DevEnvironmentConfiguration dev(String yaml) {
    return (DevEnvironmentConfiguration) ConfigurationParser.parse(yaml, "dev.bosun.yml");
  }

  private static List<ConfigurationError> errors(String yaml) {
    ConfigurationException e =
        catchThrowableOfType(
            ConfigurationException.class, () -> ConfigurationParser.parse(yaml, "dev.bosun.yml"));
    assertThat(e).as("parsing should fail:\n%s", yaml).isNotNull();
    return e.errors();
  }

  private static ConfigurationError onlyError(String yaml) {
    List<ConfigurationError> errors = errors(yaml);
    assertThat(errors).hasSize(1);
    return errors.getFirst();
  }

  @Test
  void readsEveryFieldOfADevEnvironment() {
    String file = "dev-environment.bosun.yml";
    DevEnvironmentConfiguration dev =
        (DevEnvironmentConfiguration)
            ConfigurationParser.parse(ConfigurationParserTest.resource(file), file);

    assertThat(dev.type()).isEqualTo("dev-environment");
    assertThat(dev.name()).isEqualTo("my-workspace");
    assertThat(dev.ide()).isEqualTo("cursor");
    assertThat(dev.version()).isEqualTo("1.95.3");
    assertThat(dev.init()).containsExactly("pip install -r requirements.txt", "echo ready");
    assertThat(dev.env().values()).containsExactly(Map.entry("HF_HUB_ENABLE_HF_TRANSFER", "1"));
    assertThat(dev.env().fromSubmitter()).containsExactly("WANDB_API_KEY");
    assertThat(dev.workingDir()).isEqualTo("/workspace");
    assertThat(dev.shell()).isEqualTo("bash");
    assertThat(dev.container().image()).isEqualTo("nvcr.io/nvidia/pytorch:24.07-py3");
    assertThat(dev.container().user()).isEqualTo("1000:1000");
    assertThat(dev.container().volumes()).containsExactly(InstanceVolume.parse("/mnt/data:/data"));
    assertThat(dev.hasContainer()).isTrue();
    assertThat(dev.resources())
        .isEqualTo(
            new ResourcesSpec(
                new CpuSpec(null, IntRange.atLeast(8)),
                MemoryRange.atLeast(Memory.ofGb(32)),
                null,
                Memory.ofGb(8),
                GpuSpec.parse("24GB..:1")));
    assertThat(dev.priority()).isEqualTo(60);
    assertThat(dev.preemptible()).isTrue();
    assertThat(dev.retry())
        .isEqualTo(new RetryPolicy(EnumSet.of(RetryEvent.INTERRUPTION), Duration.ofMinutes(30)));
    assertThat(dev.maxDuration()).isEqualTo(TimeLimit.of(Duration.ofHours(8)));
    assertThat(dev.stopDuration()).isEqualTo(TimeLimit.of(Duration.ofMinutes(1)));
    assertThat(dev.inactivityDuration()).isEqualTo(TimeLimit.of(Duration.ofHours(2)));
    assertThat(dev.ports()).containsExactly(PortMapping.same(8888), PortMapping.anyLocal(6006));
    assertThat(dev.fleets()).containsExactly("gpu-rack", "team/shared");
    assertThat(dev.backends()).containsExactly("ssh");
    assertThat(dev.instanceTypes()).containsExactly("g5.xlarge");
    assertThat(dev.maxPrice()).isEqualTo(1.5);
    assertThat(dev.tags()).containsExactly(Map.entry("team", "research"));
    assertThat(dev.startupOrder()).isEqualTo(StartupOrder.ANY);
    assertThat(dev.stopCriteria()).isEqualTo(StopCriteria.ALL_DONE);
    assertThat(dev.jobCommands())
        .containsExactly(
            "pip install -r requirements.txt",
            "echo ready",
            DevEnvironmentConfiguration.KEEP_ALIVE);
  }

  @Test
  void readsDstacksSample() {
    DevEnvironmentConfiguration dev =
        dev(
            """
            type: dev-environment
            ide: vscode
            python: "3.11"
            init: [pip install -r requirements.txt]
            ports: ["*:8888"]
            resources:
              gpu: 24GB..
            """);

    assertThat(dev.ide()).isEqualTo("vscode");
    assertThat(dev.container()).isEqualTo(ContainerConfig.ofPython("3.11"));
    assertThat(dev.init()).containsExactly("pip install -r requirements.txt");
    assertThat(dev.ports()).containsExactly(PortMapping.anyLocal(8888));
    assertThat(dev.resources().gpu()).isEqualTo(GpuSpec.parse("24GB.."));
    assertThat(dev.inactivityDuration()).isNull();
    assertThat(ConfigurationParser.parseAny("type: dev-environment\nide: vscode\n", null))
        .isInstanceOf(DevEnvironmentConfiguration.class);
  }

  @Test
  void needsNothingButItsType() {
    DevEnvironmentConfiguration dev = dev("type: dev-environment\n");

    assertThat(dev)
        .isEqualTo(
            new DevEnvironmentConfiguration(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, false, null, null, null, null));
    assertThat(dev.ide()).isNull();
    assertThat(dev.init()).isEmpty();
    assertThat(dev.env()).isEqualTo(Environment.EMPTY);
    assertThat(dev.resources()).isEqualTo(ResourcesSpec.UNSPECIFIED);
    assertThat(dev.ports()).isEmpty();
    assertThat(dev.hasContainer()).isFalse();
    assertThat(dev.jobCommands()).containsExactly(DevEnvironmentConfiguration.KEEP_ALIVE);
    assertThat(dev("type: dev-environment\ninit: []\nide:\ninactivity_duration:\n")).isEqualTo(dev);
  }

  @Test
  void readsInactivityDurationLikeMaxDuration() {
    assertThat(dev("type: dev-environment\ninactivity_duration: 30m\n").inactivityDuration())
        .isEqualTo(TimeLimit.of(Duration.ofMinutes(30)));
    assertThat(dev("type: dev-environment\ninactivity_duration: 3600\n").inactivityDuration())
        .isEqualTo(TimeLimit.of(Duration.ofHours(1)));
    assertThat(dev("type: dev-environment\ninactivity_duration: 1h30m\n").inactivityDuration())
        .isEqualTo(TimeLimit.of(Duration.ofMinutes(90)));
    assertThat(dev("type: dev-environment\ninactivity_duration: off\n").inactivityDuration())
        .isEqualTo(TimeLimit.OFF);
    assertThat(dev("type: dev-environment\ninactivity_duration: false\n").inactivityDuration())
        .isEqualTo(TimeLimit.OFF);
    // dstack reads true as "the default", like a field left out.
    assertThat(dev("type: dev-environment\ninactivity_duration: true\n").inactivityDuration())
        .isNull();
  }

  @Test
  void theKeepAliveCommandIsPlainPosixShell() {
    assertThat(DevEnvironmentConfiguration.KEEP_ALIVE)
        .isEqualTo("while true; do sleep 3600; done")
        .doesNotContain("[[", "$((", "function", "{", "\n");
  }

  @Test
  void keepsTheOtherFieldsWhenRenamedOrGivenAnotherEnvironment() {
    DevEnvironmentConfiguration dev =
        dev(ConfigurationParserTest.resource("dev-environment.bosun.yml"));

    DevEnvironmentConfiguration renamed = dev.withName("other");
    DevEnvironmentConfiguration resolved =
        dev.withEnv(dev.env().resolve(Map.of("WANDB_API_KEY", "k")::get));

    assertThat(renamed.name()).isEqualTo("other");
    assertThat(renamed.withName(dev.name())).isEqualTo(dev);
    assertThat(resolved.env().isResolved()).isTrue();
    assertThat(resolved.withEnv(dev.env())).isEqualTo(dev);
  }

  @Test
  void theRecordChecksWhatTheParserChecks() {
    assertThatThrownBy(() -> devWith("emacs", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown IDE 'emacs'");
    assertThatThrownBy(() -> devWith("vscode", " ", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("version must not be blank");
    assertThatThrownBy(() -> devWith(null, null, List.of("ok", " ")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a command must not be blank");
    assertThat(devWith("windsurf", "1.0", List.of("echo hi")).init()).containsExactly("echo hi");
  }

  private static DevEnvironmentConfiguration devWith(
      String ide, String version, List<String> init) {
    return new DevEnvironmentConfiguration(
        null, ide, version, init, null, null, null, null, null, null, null, null, null, null, null,
        null, false, null, null, null, null);
  }

  @Test
  void refusesCommandsAndTheMultiNodeFieldsOfTasks() {
    ConfigurationError commands = onlyError("type: dev-environment\ncommands: [python app.py]\n");
    assertThat(commands)
        .isEqualTo(
            new ConfigurationError(
                "dev.bosun.yml",
                2,
                1,
                "commands",
                "field 'commands' does not apply here: a dev environment runs no commands; put"
                    + " setup lines in init, or use type: task"));

    ConfigurationError nodes = onlyError("type: dev-environment\nide: vscode\nnodes: 2\n");
    assertThat(nodes.toString())
        .isEqualTo(
            "dev.bosun.yml:3:1: nodes: field 'nodes' does not apply here: a dev environment runs"
                + " on one host; use type: task for multi-node runs");
    assertThat(onlyError("type: dev-environment\nstartup_order: master-first\n").message())
        .isEqualTo(
            "field 'startup_order' does not apply here: a dev environment runs one job on one"
                + " host; startup_order is for multi-node tasks");
    assertThat(onlyError("type: dev-environment\nstop_criteria: master-done\n").path())
        .isEqualTo("stop_criteria");
    assertThat(onlyError("type: dev-environment\nsetup: [a]\n").message())
        .isEqualTo(
            "field 'setup' is not supported yet by Bosun (it is deprecated in dstack; put the"
                + " lines in init)");
  }

  @Test
  void refusesAnUnknownIdeWithTheClosestSpelling() {
    ConfigurationError typo = onlyError("type: dev-environment\nide: vscod\n");
    assertThat(typo)
        .isEqualTo(
            new ConfigurationError(
                "dev.bosun.yml",
                2,
                6,
                "ide",
                "unknown IDE 'vscod'; did you mean 'vscode'? Supported: vscode, cursor, windsurf"
                    + " (leave ide out for none)"));

    assertThat(onlyError("type: dev-environment\nide: emacs\n").message())
        .isEqualTo(
            "unknown IDE 'emacs'; supported: vscode, cursor, windsurf (leave ide out for none)");
    assertThat(onlyError("type: dev-environment\nide: VSCode\n").message())
        .startsWith("unknown IDE 'VSCode'; did you mean 'vscode'?");
    assertThat(onlyError("type: dev-environment\nide: [vscode]\n").message())
        .isEqualTo("expected an IDE: vscode, cursor, windsurf, found a list");
  }

  @Test
  void refusesABadInactivityDuration() {
    ConfigurationError error =
        onlyError("type: dev-environment\nide: vscode\ninactivity_duration: soon\n");

    assertThat(error.line()).isEqualTo(3);
    assertThat(error.column()).isEqualTo(22);
    assertThat(error.path()).isEqualTo("inactivity_duration");
    assertThat(error.message())
        .isEqualTo(
            "invalid time limit 'soon': expected off or a whole number of seconds or a number"
                + " with unit s, m, h, d or w (e.g. 90s, 30m, 2h, 1d or 1h30m)");
    assertThat(onlyError("type: dev-environment\ninactivity_duration: -5m\n").path())
        .isEqualTo("inactivity_duration");
  }

  @Test
  void suggestsTheFieldAMisspeltOneMeant() {
    ConfigurationError error = onlyError("type: dev-environment\ninactivty_duration: 1h\n");

    assertThat(error.line()).isEqualTo(2);
    assertThat(error.column()).isEqualTo(1);
    assertThat(error.message())
        .startsWith(
            "unknown field 'inactivty_duration'; did you mean 'inactivity_duration'? Allowed"
                + " fields: type, name, ide, version, init, env, working_dir");
    assertThat(onlyError("type: dev-environment\nfoo: 1\n").message())
        .isEqualTo(
            "unknown field 'foo'; allowed fields: type, name, ide, version, init, env,"
                + " working_dir, shell, image, python, entrypoint, user, privileged,"
                + " registry_auth, volumes, resources, priority, preemptible, retry,"
                + " max_duration, stop_duration, inactivity_duration, ports, fleets, backends,"
                + " instance_types, max_price, tags");
  }

  @Test
  void reportsBadInitAndVersionAtTheirItems() {
    List<ConfigurationError> errors =
        errors("type: dev-environment\nversion: \"  \"\ninit:\n  - echo hi\n  - \"  \"\n");

    assertThat(errors).extracting(ConfigurationError::path).containsExactly("version", "init[1]");
    assertThat(errors).extracting(ConfigurationError::line).containsExactly(2, 5);
    assertThat(errors.get(1).message()).isEqualTo("a command must not be blank");
    assertThat(onlyError("type: dev-environment\ninit: echo hi\n").message())
        .isEqualTo("expected a list of commands, found the text 'echo hi'");
  }

  @Test
  void appliesTheContainerRulesOfTasks() {
    assertThat(onlyError("type: dev-environment\nuser: root\n").message())
        .startsWith("'user' needs a container: give 'image' (or 'python') too");
    assertThat(onlyError("type: dev-environment\nimage: ubuntu\npython: \"3.12\"\n").path())
        .isEqualTo("python");
  }

  @Test
  void collectsErrorsFromSharedAndOwnFieldsInFileOrder() {
    List<ConfigurationError> errors =
        errors(
            """
            type: dev-environment
            name: Bad
            ide: atom
            priority: 101
            inactivity_duration: 2x
            commands: [a]
            """);

    assertThat(errors)
        .extracting(ConfigurationError::path)
        .containsExactly("name", "ide", "priority", "inactivity_duration", "commands");
  }

  @Test
  void theFieldTableIsTheTasksWithoutCommandsAndNodesPlusItsOwn() {
    List<String> task = ConfigurationFields.names(ConfigurationFields.TASK);
    List<String> dev = ConfigurationFields.names(ConfigurationFields.DEV_ENVIRONMENT);

    assertThat(dev)
        .contains("ide", "version", "init", "inactivity_duration")
        .doesNotContain("commands", "nodes", "startup_order", "stop_criteria")
        .containsAll(
            task.stream()
                .filter(
                    name ->
                        !List.of("commands", "nodes", "startup_order", "stop_criteria")
                            .contains(name))
                .toList());
    assertThat(dev).hasSize(task.size() - 4 + 4);
    assertThat(
            ConfigurationFields.DEV_ENVIRONMENT_UNSUPPORTED.stream()
                .map(UnsupportedField::name)
                .toList())
        .containsAll(
            ConfigurationFields.TASK_UNSUPPORTED.stream().map(UnsupportedField::name).toList())
        .contains("commands", "nodes", "startup_order", "stop_criteria");
  }
}
