package dev.bosun.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bosun.model.resources.IntRange;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The value types of fleet files enforce the parser's rules and resolve hosts as documented. */
class FleetValuesTest {
  private static SshConfig hosts(SshHost... hosts) {
    return new SshConfig("ubuntu", null, "~/.ssh/k", null, List.of(hosts), null);
  }

  @Test
  void recognisesIpAddressLiteralsWithoutLookingNamesUp() {
    assertThat(
            List.of(
                "10.0.0.5",
                "0.0.0.0",
                "255.255.255.255",
                "::",
                "::1",
                "fd00::5",
                "2001:db8:0:0:0:0:2:1",
                "2001:DB8::2:1",
                "::ffff:10.0.0.5",
                "1:2:3:4:5:6:7::"))
        .allSatisfy(text -> assertThat(IpAddressGrammar.isAddress(text)).as(text).isTrue());
    assertThat(
            List.of(
                "",
                "localhost",
                "10.0.0",
                "10.1",
                "010.0.0.1",
                "10.0.0.256",
                "1.2.3.4.5",
                "10.0.0.-1",
                ":::",
                "1::2::3",
                "1:2:3:4:5:6:7:8:9",
                "1:2:3:4:5:6:7",
                "12345::",
                "fd00::5%eth0",
                "[fd00::5]",
                "::ffff:10.0.0",
                "g::1"))
        .allSatisfy(text -> assertThat(IpAddressGrammar.isAddress(text)).as(text).isFalse());
    assertThat(IpAddressGrammar.parse("::ffff:10.0.0.5"))
        .containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 10, 0, 0, 5);
  }

  @Test
  void networksAreCidrBlocksWithoutHostBits() {
    IpNetwork network = IpNetwork.parse(" 10.0.0.0/24 ");

    assertThat(network).isEqualTo(new IpNetwork("10.0.0.0", 24)).hasToString("10.0.0.0/24");
    assertThat(network.contains("10.0.0.77")).isTrue();
    assertThat(network.contains("10.0.1.1")).isFalse();
    assertThat(network.contains("fd00::1")).isFalse();
    assertThat(network.contains("not-an-ip")).isFalse();
    assertThat(IpNetwork.parse("10.0.0.5")).isEqualTo(new IpNetwork("10.0.0.5", 32));
    assertThat(IpNetwork.parse("0.0.0.0/0").contains("192.168.1.1")).isTrue();
    assertThat(IpNetwork.parse("fd00::/8").contains("fd12:3456::1")).isTrue();
    assertThat(IpNetwork.parse("10.0.0.0/12").contains("10.15.255.255")).isTrue();
    assertThat(IpNetwork.parse("10.0.0.0/12").contains("10.16.0.0")).isFalse();
    assertThatThrownBy(() -> IpNetwork.parse("10.0.0.0/24/8"))
        .hasMessageContaining("prefix length");
    assertThatThrownBy(() -> IpNetwork.parse("fd00::1/64"))
        .hasMessage("invalid network 'fd00::1/64': the address has bits set past the /64 prefix");
    assertThatThrownBy(() -> IpNetwork.parse("fd00::/129"))
        .hasMessageContaining("an IPv6 network goes from 0 to 128");
    assertThatThrownBy(() -> new IpNetwork("10.0.0.0", -1)).hasMessageContaining("0 to 32");
  }

  @Test
  void blocksAreAPositiveCountOrAutoAndSplitAHostsGpus() {
    assertThat(Blocks.parse("auto")).isEqualTo(Blocks.AUTO).hasToString("auto");
    assertThat(Blocks.parse(" 4 ")).isEqualTo(new Blocks.Fixed(4)).hasToString("4");
    assertThatThrownBy(() -> Blocks.parse("0")).hasMessageStartingWith("invalid blocks 0");
    assertThatThrownBy(() -> Blocks.parse("Auto")).hasMessageStartingWith("invalid blocks 'Auto'");
    assertThatThrownBy(() -> new Blocks.Fixed(-1)).hasMessageStartingWith("invalid blocks -1");

    assertThat(Blocks.AUTO.blocksFor(8)).isEqualTo(8);
    assertThat(Blocks.AUTO.blocksFor(0)).isEqualTo(1);
    assertThat(new Blocks.Fixed(4).blocksFor(8)).isEqualTo(4);
    assertThat(new Blocks.Fixed(2).blocksFor(0)).isEqualTo(2);
    assertThatThrownBy(() -> new Blocks.Fixed(3).blocksFor(8))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "blocks: 3 does not divide the host's 8 GPUs evenly; use a divisor of 8 or blocks: auto");
  }

  @Test
  void placementsReadLikeTheFile() {
    assertThat(FleetPlacement.parse("Cluster")).isEqualTo(FleetPlacement.CLUSTER);
    assertThat(FleetPlacement.ANY.yamlName()).isEqualTo("any");
    assertThatThrownBy(() -> FleetPlacement.parse("spread"))
        .hasMessage("invalid placement 'spread': expected any or cluster");
  }

  @Test
  void theSshRecordsEnforceTheParsersRules() {
    assertThatThrownBy(() -> SshHost.of("ubuntu@gpu-1")).hasMessageContaining("give the user");
    assertThatThrownBy(() -> SshHost.of("gpu-1:22")).hasMessageContaining("give the port");
    assertThatThrownBy(() -> SshHost.of("-gpu")).hasMessageStartingWith("invalid hostname '-gpu'");
    assertThatThrownBy(() -> SshHost.of(" "))
        .hasMessageStartingWith("a hostname must not be blank");
    assertThat(SshHost.of("GPU_1.local").hostname()).isEqualTo("GPU_1.local");
    assertThatThrownBy(() -> new SshHost("a", 70000, null, null, null, null, null))
        .hasMessageStartingWith("invalid port 70000");
    assertThatThrownBy(() -> new SshHost("a", null, "a b", null, null, null, null))
        .hasMessageStartingWith("invalid user 'a b'");
    assertThatThrownBy(() -> new SshHost("a", null, null, "  ", null, null, null))
        .hasMessageStartingWith("identity_file must not be blank");
    assertThatThrownBy(() -> new SshHost("a", null, null, null, "10.0.0", null, null))
        .hasMessageStartingWith("invalid internal_ip '10.0.0'");
    assertThatThrownBy(() -> new SshProxyJump("j", 0, null, null))
        .hasMessageStartingWith("invalid port 0");
    assertThatThrownBy(
            () ->
                new SshHostSpec(
                    "a", 22, "u", "k", new SshProxyJump("j", null, "u", "k"), null, Blocks.ONE))
        .hasMessageContaining("proxy jump of an effective host");
  }

  @Test
  void anSshConfigRefusesNoHostsDuplicatesAndHostsWithoutUserOrKey() {
    assertThatThrownBy(() -> hosts()).hasMessageStartingWith("ssh_config.hosts must list at least");
    assertThatThrownBy(() -> hosts(SshHost.of("a"), SshHost.of("b"), SshHost.of("A")))
        .hasMessage("host A is listed twice (hosts[0] and hosts[2]); list each host once");
    assertThat(hosts(SshHost.of("a"), new SshHost("a", 2222, null, null, null, null, null)).hosts())
        .hasSize(2);
    assertThatThrownBy(() -> new SshConfig(null, null, "k", null, List.of(SshHost.of("a")), null))
        .hasMessageStartingWith("no user for a");
    assertThatThrownBy(
            () ->
                new SshConfig(
                    "u",
                    null,
                    null,
                    new SshProxyJump("j", null, null, null),
                    List.of(new SshHost("a", null, null, "k", null, null, null)),
                    null))
        .hasMessageStartingWith("no identity_file for j");
  }

  @Test
  void hostSettingsOverrideTheFleetsAndThePortDefaultsTo22() {
    SshProxyJump fleetJump = new SshProxyJump("jump", null, null, null);
    SshConfig config =
        new SshConfig(
            "ubuntu",
            2222,
            "~/.ssh/k",
            fleetJump,
            List.of(
                SshHost.of("a"),
                new SshHost(
                    "b",
                    22,
                    "root",
                    "/k",
                    "10.0.0.2",
                    Blocks.AUTO,
                    new SshProxyJump("other", 2022, "ju", "/jk"))),
            null);

    assertThat(config.effectiveHosts())
        .containsExactly(
            new SshHostSpec(
                "a",
                2222,
                "ubuntu",
                "~/.ssh/k",
                new SshProxyJump("jump", 22, "ubuntu", "~/.ssh/k"),
                null,
                Blocks.ONE),
            new SshHostSpec(
                "b",
                22,
                "root",
                "/k",
                new SshProxyJump("other", 2022, "ju", "/jk"),
                "10.0.0.2",
                Blocks.AUTO));
    assertThat(config.effectiveHosts(new Blocks.Fixed(8)).get(0).blocks())
        .isEqualTo(new Blocks.Fixed(8));
    assertThat(config.effectiveHosts(new Blocks.Fixed(8)).get(1).blocks()).isEqualTo(Blocks.AUTO);
  }

  @Test
  void aFleetRecordNeedsANameAndHostsThatItsNodesCanHold() {
    SshConfig ssh = hosts(SshHost.of("a"), SshHost.of("b"));

    assertThat(FleetConfiguration.ssh("my-fleet", ssh).effectiveHosts()).hasSize(2);
    assertThatThrownBy(() -> FleetConfiguration.ssh(null, ssh))
        .hasMessageStartingWith("name is null");
    assertThatThrownBy(() -> FleetConfiguration.ssh("Bad", ssh))
        .hasMessageStartingWith("invalid fleet name 'Bad'");
    assertThatThrownBy(() -> FleetConfiguration.ssh("my-fleet", null))
        .hasMessageContaining("SSH fleets only");
    assertThatThrownBy(
            () ->
                new FleetConfiguration(
                    "my-fleet", null, IntRange.exactly(3), null, null, null, null, ssh, null))
        .hasMessageStartingWith("nodes: 3 does not match the 2 hosts");
  }
}
