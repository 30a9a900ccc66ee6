package dev.bosun.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every bad file gives ConfigurationErrors that point at the offending line, column and field. */
class ConfigurationErrorsTest {
  private static List<ConfigurationError> errors(String yaml) {
    ConfigurationException e =
        catchThrowableOfType(
            ConfigurationException.class, () -> ConfigurationParser.parse(yaml, "hello.bosun.yml"));
    assertThat(e).as("parsing should fail:\n%s", yaml).isNotNull();
    assertThat(e.errors()).isNotEmpty();
    assertThat(e.getMessage()).doesNotContain("jackson", "snakeyaml", "Exception", "\tat ");
    return e.errors();
  }

  private static ConfigurationError onlyError(String yaml) {
    List<ConfigurationError> errors = errors(yaml);
    assertThat(errors).hasSize(1);
    return errors.getFirst();
  }

  @Test
  void pointsAtABadGpuSpecAndExplainsTheForms() {
    ConfigurationError error =
        onlyError(
            """
        type: task
        commands: [nvidia-smi]
        resources:
          gpu: H100:abc
        """);

    assertThat(error.line()).isEqualTo(4);
    assertThat(error.column()).isEqualTo(8);
    assertThat(error.path()).isEqualTo("resources.gpu");
    assertThat(error.toString())
        .startsWith(
            "hello.bosun.yml:4:8: resources.gpu: invalid GPU spec 'H100:abc': it gives GPU names twice ('H100' and 'abc')");
    assertThat(error.message()).contains("e.g. A100:80GB:8");
  }

  @Test
  void pointsAtBadMemory() {
    ConfigurationError error = onlyError("type: task\ncommands: [a]\nresources:\n  memory: 8XB\n");

    assertThat(error)
        .isEqualTo(
            new ConfigurationError(
                "hello.bosun.yml",
                4,
                11,
                "resources.memory",
                "invalid memory '8XB': expected a number with unit MB, GB or TB (e.g. 16GB), or a range of them:"
                    + " 16GB.., ..80GB or 16GB..80GB"));
  }

  @Test
  void reportsEmptyMissingAndBlankCommands() {
    assertThat(onlyError("type: task\ncommands: []\n").message())
        .startsWith("commands must hold at least one");
    ConfigurationError missing = onlyError("type: task\nname: x1\n");
    assertThat(missing.path()).isEqualTo("commands");
    assertThat(missing.message()).startsWith("field 'commands' is required");
    ConfigurationError blank = onlyError("type: task\ncommands:\n  - echo hi\n  - \"  \"\n");
    assertThat(blank.path()).isEqualTo("commands[1]");
    assertThat(blank.line()).isEqualTo(4);
    assertThat(blank.message()).isEqualTo("a command must not be blank");
    assertThat(onlyError("type: task\ncommands: echo hi\n").message())
        .isEqualTo("expected a list of commands, found the text 'echo hi'");
    assertThat(onlyError("type: task\ncommands: [[a]]\n").path()).isEqualTo("commands[0]");
  }

  @Test
  void suggestsTheFieldAMisspeltOneMeant() {
    ConfigurationError error = onlyError("type: task\ncomands: [a]\ncommands: [a]\n");

    assertThat(error.line()).isEqualTo(2);
    assertThat(error.column()).isEqualTo(1);
    assertThat(error.path()).isEqualTo("comands");
    assertThat(error.message())
        .startsWith(
            "unknown field 'comands'; did you mean 'commands'? Allowed fields: type,"
                + " name, commands, env, working_dir");
  }

  @Test
  void listsAllowedFieldsWithoutASuggestionWhenNothingIsClose() {
    assertThat(onlyError("type: task\ncommands: [a]\nfoo: 1\n").message())
        .isEqualTo(
            "unknown field 'foo'; allowed fields: type, name, commands, env, working_dir, shell, image,"
                + " python, entrypoint, user, privileged, registry_auth, volumes, resources,"
                + " nodes, startup_order, stop_criteria, priority, preemptible, retry, max_duration,"
                + " stop_duration, ports, fleets, backends, instance_types, max_price, tags");
  }

  @Test
  void reportsEveryUnknownFieldAtOnceInFileOrder() {
    List<ConfigurationError> errors =
        errors("type: task\nwork_dir: /x\ncommands: [a]\nenvs: []\nresources:\n" + "  gpus: 2\n");

    assertThat(errors)
        .extracting(ConfigurationError::path)
        .containsExactly("work_dir", "envs", "resources.gpus");
    assertThat(errors.get(2).message())
        .startsWith("unknown field 'gpus' in resources; did you mean 'gpu'?");
  }

  @Test
  void tellsUnsupportedDstackFieldsFromUnknownOnes() {
    ConfigurationError error = onlyError("type: task\nnvcc: true\ncommands: [a]\n");

    assertThat(error.message())
        .isEqualTo(
            "field 'nvcc' is not supported yet by Bosun (installing nvcc in the container comes in"
                + " a later release)");
    assertThat(error.line()).isEqualTo(2);
    assertThat(onlyError("type: task\ncommands: [a]\nspot_policy: auto\n").message())
        .isEqualTo(
            "field 'spot_policy' is not supported yet by Bosun (cloud backends come in a later"
                + " release)");
  }

  @Test
  void namesTheSupportedTypes() {
    assertThat(onlyError("commands: [a]\n").message())
        .isEqualTo(
            "field 'type' is required; supported types: task, service, dev-environment (volume,"
                + " gateway come in later releases)");
    assertThat(onlyError("type: volume\nname: v\n").message())
        .isEqualTo("type 'volume' is not supported yet; supported: task, service, dev-environment");
    assertThat(onlyError("type: gateway\n").message())
        .startsWith("type 'gateway' is not supported yet");
    assertThat(onlyError("type: fleet\nname: f\n").message())
        .startsWith("this is a fleet file (type: fleet), but a run configuration");
    ConfigurationError typo = onlyError("type: tsk\ncommands: [a]\n");
    assertThat(typo.message())
        .isEqualTo(
            "unknown type 'tsk'; did you mean 'task'? Supported: task, service, dev-environment");
    assertThat(typo.column()).isEqualTo(7);
  }

  @Test
  void rejectsPriorityAbove100() {
    ConfigurationError error = onlyError("type: task\ncommands: [a]\npriority: 101\n");

    assertThat(error.toString())
        .isEqualTo(
            "hello.bosun.yml:3:11: priority: invalid priority 101: expected a whole number from 0 to 100");
    assertThat(onlyError("type: task\ncommands: [a]\npriority: high\n").message())
        .isEqualTo("expected a whole number from 0 to 100, found the text 'high'");
  }

  @Test
  void rejectsBadPortsEachAtItsItem() {
    List<ConfigurationError> errors =
        errors(
            "type: task\ncommands: [a]\nports:\n  - 8080\n  - 0\n  - \"80:99999\"\n"
                + "  - http\n");

    assertThat(errors)
        .extracting(ConfigurationError::path)
        .containsExactly("ports[1]", "ports[2]", "ports[3]");
    assertThat(errors).extracting(ConfigurationError::line).containsExactly(5, 6, 7);
    assertThat(errors.get(0).message()).isEqualTo("invalid port '0': ports go from 1 to 65535");
    assertThat(errors.get(2).message())
        .startsWith("invalid port 'http': expected a port from 1 to 65535");
    assertThat(
            onlyError("type: task\ncommands: [a]\nports: [\"80:8080\", \"80:9090\"]\n").message())
        .isEqualTo("local port 80 is already used by ports[0]; each local port can forward once");
  }

  @Test
  void rejectsBadNames() {
    ConfigurationError error = onlyError("type: task\nname: My_Run\ncommands: [a]\n");

    assertThat(error.path()).isEqualTo("name");
    assertThat(error.message())
        .isEqualTo(
            "invalid run name 'My_Run': a run name is a lower-case letter followed by"
                + " 1 to 40 lower-case letters, digits or '-' (e.g. train-llama)");
    assertThat(onlyError("type: task\nname: a\ncommands: [a]\n").path()).isEqualTo("name");
    assertThat(onlyError("type: task\ncommands: [a]\nfleets: [Bad_Fleet]\n").path())
        .isEqualTo("fleets[0]");
  }

  @Test
  void reportsTabsAtTheirPosition() {
    ConfigurationError error = onlyError("type: task\ncommands:\n\t- a\n");

    assertThat(error.line()).isEqualTo(3);
    assertThat(error.column()).isEqualTo(1);
    assertThat(error.path()).isEmpty();
    assertThat(error.message())
        .isEqualTo("invalid YAML: a tab character is not allowed here; indent with spaces");
  }

  @Test
  void reportsUnclosedQuotesWhereTheyOpen() {
    ConfigurationError error = onlyError("type: task\ncommands:\n  - \"echo hi\n  - b\n");

    assertThat(error.line()).isEqualTo(3);
    assertThat(error.column()).isEqualTo(5);
    assertThat(error.message())
        .isEqualTo("invalid YAML: the quoted text that starts here is never closed");
  }

  @Test
  void reportsBadIndentationWithTheParsersPosition() {
    ConfigurationError error =
        onlyError("type: task\nresources:\n  gpu: 2\n cpu: 4\ncommands: [a]\n");

    assertThat(error.line()).isEqualTo(4);
    assertThat(error.column()).isEqualTo(2);
    assertThat(error.message()).startsWith("invalid YAML: bad indentation");
  }

  @Test
  void reportsOtherSyntaxErrorsInOneLine() {
    ConfigurationError error = onlyError("type: task\ncommands: [a, b\n");

    assertThat(error.message()).startsWith("invalid YAML: ").doesNotContain("\n");
    assertThat(onlyError("type: task\ncommands: [a]\nname: a: b\n").message())
        .contains("': ' is not allowed here");
  }

  @Test
  void rejectsEmptyFilesAndNonMappings() {
    assertThat(onlyError("").message()).startsWith("the file is empty");
    assertThat(onlyError("# just a comment\n\n").message()).startsWith("the file is empty");
    assertThat(onlyError("- type: task\n").message())
        .isEqualTo(
            "the top level of a configuration must be a mapping of fields such as 'type: task', found a list");
    assertThat(onlyError("task\n").message()).endsWith("found the text 'task'");
  }

  @Test
  void rejectsDuplicateKeysAtTheSecondOne() {
    ConfigurationError error = onlyError("type: task\ncommands: [a]\nenv:\n  A: 1\n  A: 2\n");

    assertThat(error.line()).isEqualTo(5);
    assertThat(error.column()).isEqualTo(3);
    assertThat(error.path()).isEqualTo("env.A");
    assertThat(error.message()).isEqualTo("duplicate key 'A'; it is first given on line 4");
  }

  @Test
  void rejectsSeveralDocumentsAndAliases() {
    assertThat(onlyError("type: task\ncommands: [a]\n---\ntype: task\n").message())
        .startsWith("a second YAML document starts here");
    assertThat(onlyError("type: task\nx: &cmd [a]\ncommands: *cmd\n").message())
        .startsWith("YAML aliases (*cmd) are not supported");
  }

  @Test
  void rejectsBadEnvironmentEntries() {
    List<ConfigurationError> errors =
        errors("type: task\ncommands: [a]\nenv:\n  - 1A=x\n  - B=1\n  - B=2\n" + "  - [x]\n");

    assertThat(errors)
        .extracting(ConfigurationError::path)
        .containsExactly("env[0]", "env[2]", "env[3]");
    assertThat(errors.get(0).message()).startsWith("invalid environment variable name '1A'");
    assertThat(errors.get(1).message())
        .isEqualTo("environment variable B is already set by env[1]");
    assertThat(onlyError("type: task\ncommands: [a]\nenv:\n  BAD-NAME: 1\n").path())
        .isEqualTo("env.BAD-NAME");
    assertThat(onlyError("type: task\ncommands: [a]\nenv: A=1\n").message())
        .startsWith("expected a list of");
  }

  @Test
  void rejectsBadRetryAndTimeLimits() {
    assertThat(onlyError("type: task\ncommands: [a]\nretry: {on_events: [oom]}\n").path())
        .isEqualTo("retry.on_events[0]");
    assertThat(onlyError("type: task\ncommands: [a]\nretry: {on_events: []}\n").message())
        .startsWith("on_events must not be empty");
    assertThat(onlyError("type: task\ncommands: [a]\nretry: sometimes\n").message())
        .startsWith("invalid retry 'sometimes'");
    assertThat(onlyError("type: task\ncommands: [a]\nmax_duration: 2x\n").message())
        .startsWith("invalid time limit '2x': expected off or a whole number of seconds");
    assertThat(errors("type: task\ncommands: [a]\nretry: {duration: soon, tries: 3}\n"))
        .extracting(ConfigurationError::path)
        .containsExactly("retry.duration", "retry.tries");
  }

  @Test
  void rejectsBadResourceMappings() {
    assertThat(onlyError("type: task\ncommands: [a]\nresources: 8\n").message())
        .isEqualTo(
            "expected a mapping with keys cpu, memory, disk, shm_size, gpu, found the number 8");
    assertThat(onlyError("type: task\ncommands: [a]\nresources: {gpu: {vendor: ati}}\n").path())
        .isEqualTo("resources.gpu.vendor");
    assertThat(
            onlyError("type: task\ncommands: [a]\nresources: {gpu: {names: [A100]}}\n").message())
        .startsWith("unknown field 'names' in resources.gpu; did you mean 'name'?");
    assertThat(onlyError("type: task\ncommands: [a]\nresources: {disk: {}}\n").message())
        .startsWith("disk needs a size");
    assertThat(onlyError("type: task\ncommands: [a]\nresources: {cpu: {arch: sparc}}\n").message())
        .isEqualTo("invalid CPU architecture 'sparc': expected x86 or arm");
    assertThat(onlyError("type: task\ncommands: [a]\nresources: {shm_size: 1GB..}\n").path())
        .isEqualTo("resources.shm_size");
  }

  @Test
  void collectsErrorsFromSeveralFieldsInFileOrder() {
    List<ConfigurationError> errors =
        errors(
            """
        type: task
        name: Bad
        commands: []
        priority: -1
        resources:
          gpu: A100:2:4
        """);

    assertThat(errors)
        .extracting(ConfigurationError::path)
        .containsExactly("name", "commands", "priority", "resources.gpu");
    assertThat(errors).extracting(ConfigurationError::line).containsExactly(2, 3, 4, 6);
  }

  @Test
  void namesAnUnnamedFile() {
    ConfigurationException e =
        catchThrowableOfType(
            ConfigurationException.class, () -> ConfigurationParser.parse("type: task\n", null));

    assertThat(e.errors().getFirst().file()).isEqualTo("<configuration>");
    assertThat(e.code().wireName()).isEqualTo("invalid_configuration");
  }
}
