package dev.bosun.model.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Whatever the text, the parser either returns a configuration or throws a {@link
 * ConfigurationException} whose errors point inside the file and speak to the user; nothing else
 * escapes.
 */
class ConfigurationParserFuzzTest {
  private static final String VALID = ConfigurationParserTest.resource("full.bosun.yml");
  private static final String VALID_FLEET = ConfigurationParserTest.resource("fleet.bosun.yml");
  private static final String VALID_CONTAINER =
      ConfigurationParserTest.resource("container.bosun.yml");
  private static final String VALID_DEV_ENVIRONMENT =
      ConfigurationParserTest.resource("dev-environment.bosun.yml");
  private static final String VALID_SERVICE = ConfigurationParserTest.resource("service.bosun.yml");
  private static final String YAML_CHARACTERS =
      " \n\t:-,[]{}#&*!|>'\"%@`?.=~/\\0123456789abcxyzABCXYZ";

  @Property(tries = 1000)
  void arbitraryTextGivesAConfigurationOrLocatedErrors(@ForAll String text) {
    assertParsesOrReportsUsefulErrors(text);
  }

  @Property(tries = 1000)
  void yamlLookingTextGivesAConfigurationOrLocatedErrors(@ForAll("yamlLookingText") String text) {
    assertParsesOrReportsUsefulErrors(text);
  }

  @Property(tries = 1500)
  void mutatedValidFilesGiveAConfigurationOrLocatedErrors(
      @ForAll("mutatedValidFiles") String text) {
    assertParsesOrReportsUsefulErrors(text);
  }

  @Property(tries = 300)
  void mutatedValuesOfTheTaskGiveAConfigurationOrLocatedErrors(
      @ForAll("mutatedValues") String text) {
    assertParsesOrReportsUsefulErrors(text);
  }

  @Property(tries = 1000)
  void mutatedContainerFilesGiveAConfigurationOrLocatedErrors(
      @ForAll("mutatedContainerFiles") String text) {
    assertParsesOrReportsUsefulErrors(text);
  }

  @Property(tries = 500)
  void mutatedValuesOfTheContainerGiveAConfigurationOrLocatedErrors(
      @ForAll("mutatedContainerValues") String text) {
    assertParsesOrReportsUsefulErrors(text);
  }

  @Property(tries = 1000)
  void mutatedDevEnvironmentFilesGiveAConfigurationOrLocatedErrors(
      @ForAll("mutatedDevEnvironmentFiles") String text) {
    assertParsesOrReportsUsefulErrors(text);
    assertParsesAnyOrReportsUsefulErrors(text);
  }

  @Property(tries = 500)
  void mutatedValuesOfTheDevEnvironmentGiveAConfigurationOrLocatedErrors(
      @ForAll("mutatedDevEnvironmentValues") String text) {
    assertParsesOrReportsUsefulErrors(text);
  }

  @Property(tries = 1000)
  void mutatedServiceFilesGiveAConfigurationOrLocatedErrors(
      @ForAll("mutatedServiceFiles") String text) {
    assertParsesOrReportsUsefulErrors(text);
    assertParsesAnyOrReportsUsefulErrors(text);
  }

  @Property(tries = 500)
  void mutatedValuesOfTheServiceGiveAConfigurationOrLocatedErrors(
      @ForAll("mutatedServiceValues") String text) {
    assertParsesOrReportsUsefulErrors(text);
  }

  @Property(tries = 1000)
  void arbitraryTextGivesAnyConfigurationOrLocatedErrors(@ForAll("yamlLookingText") String text) {
    assertParsesAnyOrReportsUsefulErrors(text);
  }

  @Property(tries = 1500)
  void mutatedFleetFilesGiveAConfigurationOrLocatedErrors(
      @ForAll("mutatedFleetFiles") String text) {
    assertParsesAnyOrReportsUsefulErrors(text);
    assertParsesOrReportsUsefulErrors(text);
  }

  @Property(tries = 500)
  void mutatedValuesOfTheFleetGiveAConfigurationOrLocatedErrors(
      @ForAll("mutatedFleetValues") String text) {
    assertParsesAnyOrReportsUsefulErrors(text);
  }

  // Edge cases would pick the first and last choices of every field at once: mostly nonsense.
  @Property(tries = 1500, edgeCases = EdgeCasesMode.NONE)
  void fleetLikeFilesGiveAConfigurationOrLocatedErrors(@ForAll("fleetLikeFiles") String text) {
    assertParsesAnyOrReportsUsefulErrors(text);
  }

  /**
   * As {@link #assertParsesOrReportsUsefulErrors}, through {@link ConfigurationParser#parseAny}; a
   * fleet it returns resolves every host.
   */
  private static void assertParsesAnyOrReportsUsefulErrors(String text) {
    Configuration configuration;
    try {
      configuration = ConfigurationParser.parseAny(text, "fuzz.bosun.yml");
    } catch (ConfigurationException e) {
      assertUsefulErrors(text, e);
      return;
    }
    switch (configuration) {
      case RunConfiguration run -> assertRun(run);
      case FleetConfiguration fleet -> {
        Statistics.label("outcome").collect("fleet");
        List<SshHostSpec> hosts = fleet.effectiveHosts();
        assertThat(hosts).isNotEmpty().hasSameSizeAs(fleet.sshConfig().hosts());
        assertThat(hosts.stream().map(SshHostSpec::identity).distinct()).hasSameSizeAs(hosts);
      }
    }
  }

  private static void assertParsesOrReportsUsefulErrors(String text) {
    RunConfiguration configuration;
    try {
      configuration = ConfigurationParser.parse(text, "fuzz.bosun.yml");
    } catch (ConfigurationException e) {
      assertUsefulErrors(text, e);
      return;
    }
    Statistics.label("outcome").collect("parsed");
    assertRun(configuration);
  }

  /**
   * A run has commands to run, none blank; a dev environment's end with the keep-alive; a service
   * keeps its rules (a port, scaling exactly for a range, at most 10 probes, distinct rate limits).
   */
  private static void assertRun(RunConfiguration configuration) {
    List<String> commands =
        switch (configuration) {
          case TaskConfiguration task -> {
            assertThat(task.type()).isEqualTo("task");
            yield task.commands();
          }
          case ServiceConfiguration service -> {
            assertThat(service.type()).isEqualTo("service");
            assertThat(service.port()).isBetween(1, 65535);
            assertThat(service.ports()).isEmpty();
            ReplicaRange replicas = service.replicas();
            assertThat(replicas.min()).isBetween(0, replicas.max());
            assertThat(replicas.max()).isBetween(1, ReplicaRange.MAX_REPLICAS);
            assertThat(service.scaling() != null).isEqualTo(!replicas.isFixed());
            assertThat(service.probes()).hasSizeLessThanOrEqualTo(ServiceConfiguration.MAX_PROBES);
            assertThat(service.rateLimits())
                .allSatisfy(
                    limit ->
                        assertThat(service.rateLimits().stream().filter(limit::sameScope))
                            .hasSize(1));
            yield service.commands();
          }
          case DevEnvironmentConfiguration dev -> {
            assertThat(dev.type()).isEqualTo("dev-environment");
            assertThat(dev.jobCommands()).endsWith(DevEnvironmentConfiguration.KEEP_ALIVE);
            assertThat(dev.ide()).isIn(null, "vscode", "cursor", "windsurf");
            yield dev.jobCommands();
          }
        };
    assertThat(commands).isNotEmpty().allSatisfy(command -> assertThat(command).isNotBlank());
  }

  private static void assertUsefulErrors(String text, ConfigurationException e) {
    // Shows in the report how much of the input reached the binder rather than stopping at YAML
    // syntax.
    Statistics.label("outcome")
        .collect(
            e.errors().getFirst().message().startsWith("invalid YAML")
                ? "syntax error"
                : "binding error");
    long lines = text.lines().count() + 1;
    assertThat(e.errors())
        .isNotEmpty()
        .allSatisfy(
            error -> {
              assertThat(error.file()).isEqualTo("fuzz.bosun.yml");
              assertThat(error.line()).isBetween(1, (int) Math.max(lines, 1) + 1);
              assertThat(error.column()).isPositive();
              assertThat(error.message())
                  .isNotBlank()
                  .doesNotContainIgnoringCase("jackson")
                  .doesNotContainIgnoringCase("snakeyaml")
                  .doesNotContain("Exception", "org.yaml", "com.fasterxml");
            });
  }

  /**
   * Fleet files built from the fleet's own fields, each left out, given a value that fits it, or
   * given a value that may fit another field or none: they reach the cross-host checks (duplicates,
   * users and keys, jump hosts, nodes) far more often than edited text does.
   */
  @Provide
  Arbitrary<String> fleetLikeFiles() {
    Arbitrary<String> any =
        Arbitraries.of(
            "a",
            "10.0.0.256",
            "\"fd00::1\"",
            "0",
            "65536",
            "-1",
            "auto",
            "\"u@h\"",
            "\"h:22\"",
            "10.0.0.1/24",
            "\"\"",
            "~",
            "[]",
            "{}",
            "[a, a]",
            "1..4",
            "true",
            "x y",
            "{hostname: j}");
    Arbitrary<String> mappingHost =
        lines(
                List.of(
                    field("hostname", any, 12, "a", "b", "A", "10.0.0.1", "\"fd00::1\""),
                    field("port", any, 1, "22", "2222"),
                    field("user", any, 1, "root"),
                    field("identity_file", any, 1, "/k"),
                    field("internal_ip", any, 1, "10.0.0.9", "\"fd00::9\""),
                    field("blocks", any, 1, "auto", "2"),
                    field(
                        "proxy_jump",
                        any,
                        1,
                        "{hostname: j2}",
                        "{hostname: j2, port: 2022, user: ju, identity_file: /jk}"),
                    field("ssh_key", any, 0)))
            .map(fields -> "{" + String.join(", ", fields) + "}");
    Arbitrary<String> host =
        Arbitraries.frequencyOf(
            Tuple.of(
                4, Arbitraries.of("a", "b", "A", "10.0.0.1", "\"fd00::1\"", "gpu-1.example.com")),
            Tuple.of(3, mappingHost),
            Tuple.of(1, Arbitraries.oneOf(any, Arbitraries.just("A"))));
    Arbitrary<String> hosts =
        host.list().ofMinSize(1).ofMaxSize(5).map(items -> "[" + String.join(", ", items) + "]");
    Arbitrary<String> ssh =
        Combinators.combine(
                lines(
                    List.of(
                        field("user", any, 8, "ubuntu"),
                        field("port", any, 2, "22", "2222"),
                        field("identity_file", any, 8, "~/.ssh/k"),
                        field("network", any, 2, "10.0.0.0/24", "fd00::/64"),
                        field(
                            "proxy_jump",
                            any,
                            2,
                            "{hostname: j}",
                            "{hostname: j, port: 2022, user: ju, identity_file: /jk}"),
                        field("ssh_key", any, 0))),
                Arbitraries.frequencyOf(
                    Tuple.of(10, hosts.map(list -> "hosts: " + list)),
                    Tuple.of(1, Arbitraries.just("")),
                    Tuple.of(1, any.map(value -> "hosts: " + value))))
            .as(
                (fields, hostsLine) -> {
                  StringBuilder text = new StringBuilder("ssh_config:\n");
                  fields.forEach(field -> text.append("  ").append(field).append("\n"));
                  return text.append("  ").append(hostsLine).append("\n").toString();
                });
    Arbitrary<List<String>> top =
        lines(
            List.of(
                field("name", any, 12, "my-fleet"),
                field("placement", any, 2, "any", "cluster"),
                field("nodes", any, 1, "1..8", "3"),
                field("blocks", any, 2, "auto", "2"),
                field("env", any, 1, "[A=1, B]", "{A: 1}"),
                field("idle_duration", any, 1, "1h", "off"),
                field("tags", any, 1, "{team: x}"),
                field("backends", any, 0),
                field("placment", any, 0)));
    return Combinators.combine(
            Arbitraries.frequencyOf(
                Tuple.of(20, Arbitraries.just("fleet")),
                Tuple.of(1, Arbitraries.of("task", "flet"))),
            top,
            Arbitraries.frequencyOf(
                Tuple.of(20, ssh), Tuple.of(1, any.map(value -> "ssh_config: " + value + "\n"))))
        .as(
            (type, fields, sshConfig) ->
                "type: "
                    + type
                    + "\n"
                    + String.join("", fields.stream().map(f -> f + "\n").toList())
                    + sshConfig);
  }

  /**
   * A field's line: left out (empty), {@code name: v} with one of {@code fitting} {@code weight}
   * times as often as not, or with a value of {@code any} now and then.
   */
  private static Arbitrary<String> field(
      String name, Arbitrary<String> any, int weight, String... fitting) {
    Arbitrary<String> misfit = any.map(value -> name + ": " + value);
    return fitting.length == 0
        ? Arbitraries.frequencyOf(Tuple.of(30, Arbitraries.just("")), Tuple.of(1, misfit))
        : Arbitraries.frequencyOf(
            Tuple.of(10, Arbitraries.just("")),
            Tuple.of(10 * weight, Arbitraries.of(fitting).map(value -> name + ": " + value)),
            Tuple.of(1, misfit));
  }

  /** The lines that are given, in table order. */
  private static Arbitrary<List<String>> lines(List<Arbitrary<String>> fields) {
    return Combinators.combine(fields)
        .as(values -> values.stream().filter(line -> !line.isEmpty()).toList());
  }

  @Provide
  Arbitrary<String> yamlLookingText() {
    return Arbitraries.strings().withChars(YAML_CHARACTERS).ofMaxLength(200);
  }

  /**
   * The valid file with a few characters inserted, deleted or replaced, or lines dropped or
   * re-indented.
   */
  @Provide
  Arbitrary<String> mutatedValidFiles() {
    return mutated(VALID);
  }

  @Provide
  Arbitrary<String> mutatedFleetFiles() {
    return mutated(VALID_FLEET);
  }

  @Provide
  Arbitrary<String> mutatedValues() {
    return mutatedValues(VALID);
  }

  @Provide
  Arbitrary<String> mutatedContainerFiles() {
    return mutated(VALID_CONTAINER);
  }

  @Provide
  Arbitrary<String> mutatedContainerValues() {
    return mutatedValues(VALID_CONTAINER);
  }

  @Provide
  Arbitrary<String> mutatedDevEnvironmentFiles() {
    return mutated(VALID_DEV_ENVIRONMENT);
  }

  @Provide
  Arbitrary<String> mutatedDevEnvironmentValues() {
    return mutatedValues(VALID_DEV_ENVIRONMENT);
  }

  @Provide
  Arbitrary<String> mutatedServiceFiles() {
    return mutated(VALID_SERVICE);
  }

  @Provide
  Arbitrary<String> mutatedServiceValues() {
    return mutatedValues(VALID_SERVICE);
  }

  @Provide
  Arbitrary<String> mutatedFleetValues() {
    return mutatedValues(VALID_FLEET);
  }

  private static Arbitrary<String> mutated(String valid) {
    Arbitrary<Edit> edit =
        Combinators.combine(
                Arbitraries.of(EditKind.values()),
                Arbitraries.integers().between(0, valid.length()),
                Arbitraries.of(YAML_CHARACTERS.chars().mapToObj(c -> (char) c).toList()))
            .as(Edit::new);
    return edit.list()
        .ofMinSize(1)
        .ofMaxSize(4)
        .map(
            edits -> {
              String text = valid;
              for (Edit each : edits) {
                text = each.apply(text);
              }
              return text;
            });
  }

  /**
   * The valid file with one value swapped for a value that may belong to another field or be
   * nonsense.
   */
  private static Arbitrary<String> mutatedValues(String valid) {
    List<String> lines = valid.lines().toList();
    Arbitrary<String> value =
        Arbitraries.oneOf(
            Arbitraries.of(
                "",
                "~",
                "[]",
                "{}",
                "-1",
                "0",
                "101",
                "1..",
                "..",
                "8XB",
                "H100:abc",
                "true",
                "off",
                "[a, b]",
                "{a: 1}",
                "\"*:0\"",
                "A100:80GB:8",
                "1e9",
                "99999999999999999999",
                "x86:4..8",
                "2h",
                "'",
                "&a",
                "*a",
                "!!binary x",
                "|",
                ">-",
                "? x",
                "auto",
                "cluster",
                "10.0.0.0/24",
                "10.0.0.1/24",
                "fd00::1",
                "::",
                "65536",
                "ubuntu@host",
                "host:22",
                "[10.0.0.1, 10.0.0.1]",
                "{hostname: a}",
                "{hostname: a, port: 0}",
                "ubuntu",
                "Ubuntu:22.04",
                "ubuntu:",
                "3.10",
                "3.1",
                "\"3.12\"",
                "/a:/b",
                "my-vol:/data",
                "/a:/",
                "{instance_path: /a, path: /b}",
                "{username: u, password: p}",
                "vscode",
                "vscod",
                "[echo hi]",
                "[\"  \"]",
                "1..4",
                "0..4",
                "..4",
                "4..1",
                "\"80:8000\"",
                "\"*:8000\"",
                "{metric: rps, target: 10}",
                "{metric: rps}",
                "[{type: http}]",
                "[{type: http, body: x}]",
                "{type: header}",
                "{type: ip_address}",
                "[{rps: 1}, {rps: 2}]",
                "rps",
                "post",
                "/health",
                "health"),
            Arbitraries.strings().withChars(YAML_CHARACTERS).ofMaxLength(12));
    return Combinators.combine(Arbitraries.integers().between(0, lines.size() - 1), value)
        .as(
            (index, replacement) -> {
              List<String> changed = new ArrayList<>(lines);
              String line = changed.get(index);
              int colon = line.indexOf(": ");
              int dash = line.indexOf("- ");
              int cut = colon >= 0 ? colon + 2 : dash >= 0 ? dash + 2 : line.length();
              changed.set(index, line.substring(0, cut) + replacement);
              return String.join("\n", changed) + "\n";
            });
  }

  private enum EditKind {
    INSERT,
    DELETE,
    REPLACE,
    DROP_LINE,
    INDENT_LINE
  }

  private record Edit(EditKind kind, int position, char character) {
    String apply(String text) {
      int at = Math.min(position, text.length());
      int lineStart = text.lastIndexOf('\n', Math.max(0, at - 1)) + 1;
      int lineEnd = text.indexOf('\n', at);
      lineEnd = lineEnd < 0 ? text.length() : lineEnd;
      return switch (kind) {
        case INSERT -> text.substring(0, at) + character + text.substring(at);
        case DELETE -> at < text.length() ? text.substring(0, at) + text.substring(at + 1) : text;
        case REPLACE ->
            at < text.length() ? text.substring(0, at) + character + text.substring(at + 1) : text;
        case DROP_LINE ->
            text.substring(0, lineStart) + text.substring(Math.min(text.length(), lineEnd + 1));
        case INDENT_LINE -> text.substring(0, lineStart) + " " + text.substring(lineStart);
      };
    }
  }
}
