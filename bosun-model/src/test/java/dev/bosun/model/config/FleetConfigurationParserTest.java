package dev.bosun.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bosun.model.resources.IntRange;
import dev.bosun.model.resources.ResourcesSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Fleet files in every form they may take, through {@link ConfigurationParser#parseAny}. */
class FleetConfigurationParserTest {
  private static final Path EXAMPLES =
      Path.of(System.getProperty("basedir", "."))
          .resolve("../examples")
          .toAbsolutePath()
          .normalize();

  static FleetConfiguration fleet(String yaml) {
    return (FleetConfiguration) ConfigurationParser.parseAny(yaml, "fleet.bosun.yml");
  }

  @Test
  void readsEveryFieldOfAFleet() {
    FleetConfiguration fleet = fleet(ConfigurationParserTest.resource("fleet.bosun.yml"));

    assertThat(fleet.type()).isEqualTo("fleet");
    assertThat(fleet.name()).isEqualTo("gpu-rack");
    assertThat(fleet.placement()).isEqualTo(FleetPlacement.CLUSTER);
    assertThat(fleet.nodes()).isEqualTo(new IntRange(1, 4));
    assertThat(fleet.blocks()).isEqualTo(new Blocks.Fixed(2));
    assertThat(fleet.env().values()).containsExactly(Map.entry("HTTPS_PROXY", "http://proxy:3128"));
    assertThat(fleet.env().fromSubmitter()).containsExactly("HF_TOKEN");
    assertThat(fleet.resources().gpu().memory().toString()).isEqualTo("24GB..");
    assertThat(fleet.idleDuration()).isEqualTo(TimeLimit.of(Duration.ofHours(1)));
    assertThat(fleet.tags()).containsExactly(Map.entry("team", "research"));

    SshConfig ssh = fleet.sshConfig();
    assertThat(ssh.user()).isEqualTo("ubuntu");
    assertThat(ssh.port()).isEqualTo(2222);
    assertThat(ssh.identityFile()).isEqualTo("~/.ssh/id_ed25519");
    assertThat(ssh.proxyJump())
        .isEqualTo(new SshProxyJump("bastion.example.com", null, "jump", "~/.ssh/bastion"));
    assertThat(ssh.network()).isEqualTo(new IpNetwork("10.0.0.0", 24));
    assertThat(ssh.hosts())
        .containsExactly(
            SshHost.of("10.0.0.1"),
            new SshHost(
                "gpu-2.example.com", 22, "admin", "/keys/gpu2", "10.0.0.2", Blocks.AUTO, null),
            new SshHost(
                "fd00::3",
                null,
                null,
                null,
                null,
                null,
                new SshProxyJump("192.168.1.1", 2022, null, null)));
  }

  @Test
  void resolvesEachHostFromItsOwnSettingsThenTheFleetsThenTheDefaults() {
    List<SshHostSpec> hosts =
        fleet(ConfigurationParserTest.resource("fleet.bosun.yml")).effectiveHosts();

    SshProxyJump bastion = new SshProxyJump("bastion.example.com", 22, "jump", "~/.ssh/bastion");
    assertThat(hosts)
        .containsExactly(
            new SshHostSpec(
                "10.0.0.1",
                2222,
                "ubuntu",
                "~/.ssh/id_ed25519",
                bastion,
                null,
                new Blocks.Fixed(2)),
            new SshHostSpec(
                "gpu-2.example.com", 22, "admin", "/keys/gpu2", bastion, "10.0.0.2", Blocks.AUTO),
            new SshHostSpec(
                "fd00::3",
                2222,
                "ubuntu",
                "~/.ssh/id_ed25519",
                // A host's own jump host takes ssh_config's user and key, not the jump host's.
                new SshProxyJump("192.168.1.1", 2022, "ubuntu", "~/.ssh/id_ed25519"),
                null,
                new Blocks.Fixed(2)));
    assertThat(hosts.get(0).address()).isEqualTo("10.0.0.1:2222");
    assertThat(hosts.get(1).address()).isEqualTo("gpu-2.example.com");
    assertThat(hosts.get(2).address()).isEqualTo("[fd00::3]:2222");
  }

  @Test
  void aMinimalFleetLeavesEverythingElseOutAndTakesTheDefaults() {
    FleetConfiguration fleet =
        fleet(
            """
            type: fleet
            name: my-fleet
            ssh_config:
              user: ubuntu
              identity_file: ~/.ssh/id_rsa
              hosts: [gpu-1, 10.0.0.2]
            """);

    assertThat(fleet.placement()).isNull();
    assertThat(fleet.placementOrDefault()).isEqualTo(FleetPlacement.ANY);
    assertThat(fleet.blocks()).isNull();
    assertThat(fleet.blocksOrDefault()).isEqualTo(Blocks.ONE);
    assertThat(fleet.nodes()).isNull();
    assertThat(fleet.env()).isEqualTo(Environment.EMPTY);
    assertThat(fleet.resources()).isEqualTo(ResourcesSpec.UNSPECIFIED);
    assertThat(fleet.idleDuration()).isNull();
    assertThat(fleet.tags()).isEmpty();
    assertThat(fleet.sshConfig().port()).isNull();
    assertThat(fleet.sshConfig().proxyJump()).isNull();
    assertThat(fleet.sshConfig().network()).isNull();
    assertThat(fleet.effectiveHosts())
        .containsExactly(
            new SshHostSpec("gpu-1", 22, "ubuntu", "~/.ssh/id_rsa", null, null, Blocks.ONE),
            new SshHostSpec("10.0.0.2", 22, "ubuntu", "~/.ssh/id_rsa", null, null, Blocks.ONE));
  }

  @Test
  void everyHostMayCarryItsOwnUserAndKeyWhenTheFleetGivesNone() {
    FleetConfiguration fleet =
        fleet(
            """
            type: fleet
            name: mixed
            blocks: auto
            ssh_config:
              hosts:
                - {hostname: a.example.com, user: alice, identity_file: ~/.ssh/a, blocks: 4}
                - hostname: b.example.com
                  user: bob
                  identity_file: ~/.ssh/b
                  proxy_jump: {hostname: jump.example.com, user: j, identity_file: ~/.ssh/j}
            """);

    assertThat(fleet.effectiveHosts())
        .containsExactly(
            new SshHostSpec(
                "a.example.com", 22, "alice", "~/.ssh/a", null, null, new Blocks.Fixed(4)),
            new SshHostSpec(
                "b.example.com",
                22,
                "bob",
                "~/.ssh/b",
                new SshProxyJump("jump.example.com", 22, "j", "~/.ssh/j"),
                null,
                Blocks.AUTO));
  }

  @Test
  void acceptsTheSameHostOnTwoPortsAndPlacementAnyAndNodesThatFit() {
    FleetConfiguration fleet =
        fleet(
            """
            type: fleet
            name: two-sshd
            placement: any
            nodes: 2
            ssh_config:
              user: u
              identity_file: k
              hosts: [box, {hostname: box, port: 2222}]
            """);

    assertThat(fleet.placement()).isEqualTo(FleetPlacement.ANY);
    assertThat(fleet.effectiveHosts())
        .extracting(SshHostSpec::identity)
        .containsExactly("box 22", "box 2222");
  }

  @Test
  void aFleetIsAConfigurationButNotARun() {
    String yaml = ConfigurationParserTest.resource("fleet.bosun.yml");

    Configuration configuration = ConfigurationParser.parseAny(yaml, "fleet.bosun.yml");
    String described =
        switch (configuration) {
          case RunConfiguration run -> "run " + run.name();
          case FleetConfiguration fleet -> "fleet " + fleet.name();
        };
    assertThat(described).isEqualTo("fleet gpu-rack");

    ConfigurationException e =
        catchThrowableOfType(
            ConfigurationException.class, () -> ConfigurationParser.parse(yaml, "fleet.bosun.yml"));
    assertThat(e.errors()).hasSize(1);
    assertThat(e.errors().getFirst().path()).isEqualTo("type");
    assertThat(e.errors().getFirst().line()).isEqualTo(2);
    assertThat(e.errors().getFirst().message()).startsWith("this is a fleet file (type: fleet)");
  }

  @Test
  void parseAnyReadsTasksAsParseDoes() {
    String yaml = ConfigurationParserTest.resource("full.bosun.yml");

    assertThat(ConfigurationParser.parseAny(yaml, "full.bosun.yml"))
        .isEqualTo(ConfigurationParser.parse(yaml, "full.bosun.yml"));
  }

  @Test
  void theEnvironmentOfAFleetCanBeResolvedByTheSubmitter() {
    FleetConfiguration fleet = fleet(ConfigurationParserTest.resource("fleet.bosun.yml"));

    FleetConfiguration resolved = fleet.withEnv(fleet.env().resolve(Map.of("HF_TOKEN", "t")::get));

    assertThat(resolved.env().isResolved()).isTrue();
    assertThat(resolved.env().values()).containsEntry("HF_TOKEN", "t");
    assertThat(resolved.sshConfig()).isEqualTo(fleet.sshConfig());
  }

  @Test
  void everyShippedExampleParsesAndTheFleetExampleHasAJumpHostAndThreeHosts() throws IOException {
    List<Path> files;
    // Fleet examples sit in a folder of their own, which run-only example checks do not list.
    try (Stream<Path> list = Files.walk(EXAMPLES)) {
      files = list.filter(p -> p.toString().endsWith(".bosun.yml")).sorted().toList();
    }
    assertThat(files).contains(EXAMPLES.resolve("fleets/fleet-ssh.bosun.yml"));
    for (Path file : files) {
      assertThat(ConfigurationParser.parseAny(file)).as(file.toString()).isNotNull();
    }

    FleetConfiguration example =
        (FleetConfiguration)
            ConfigurationParser.parseAny(EXAMPLES.resolve("fleets/fleet-ssh.bosun.yml"));
    assertThat(example.effectiveHosts())
        .hasSize(3)
        .allSatisfy(
            host -> {
              assertThat(host.proxyJump()).isNotNull();
              assertThat(host.proxyJump().isResolved()).isTrue();
            });
  }
}
