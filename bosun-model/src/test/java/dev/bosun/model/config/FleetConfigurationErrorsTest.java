package dev.bosun.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every bad fleet file gives errors at the offending line, column and field. */
class FleetConfigurationErrorsTest {
  private static final String HEAD = "type: fleet\nname: my-fleet\n";

  private static List<ConfigurationError> errors(String yaml) {
    ConfigurationException e =
        catchThrowableOfType(
            ConfigurationException.class,
            () -> ConfigurationParser.parseAny(yaml, "fleet.bosun.yml"));
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

  /** A fleet whose ssh_config has user and key and then {@code rest}, indented by two. */
  private static String ssh(String rest) {
    return HEAD + "ssh_config:\n  user: ubuntu\n  identity_file: ~/.ssh/k\n" + rest.indent(2);
  }

  @Test
  void requiresANameAndSshConfig() {
    List<ConfigurationError> errors = errors("type: fleet\n");

    assertThat(errors).extracting(ConfigurationError::path).containsExactly("name", "ssh_config");
    assertThat(errors.get(0).message()).startsWith("field 'name' is required");
    assertThat(errors.get(1).message())
        .startsWith("field 'ssh_config' is required")
        .contains("cloud fleets come in a later release");
    assertThat(
            onlyError(
                    "type: fleet\nname: My_Fleet\nssh_config: {user: u, identity_file: k,"
                        + " hosts: [a]}\n")
                .message())
        .startsWith("invalid fleet name 'My_Fleet'");
  }

  @Test
  void requiresHostsAndAtLeastOne() {
    ConfigurationError missing =
        onlyError(HEAD + "ssh_config:\n  user: ubuntu\n  identity_file: k\n");
    assertThat(missing.path()).isEqualTo("ssh_config.hosts");
    assertThat(missing.line()).isEqualTo(4);
    assertThat(missing.message()).startsWith("field 'hosts' is required");

    ConfigurationError empty = onlyError(ssh("hosts: []\n"));
    assertThat(empty.path()).isEqualTo("ssh_config.hosts");
    assertThat(empty.line()).isEqualTo(6);
    assertThat(empty.column()).isEqualTo(10);
    assertThat(empty.message()).startsWith("hosts must list at least one host");

    assertThat(onlyError(ssh("hosts: gpu-1\n")).message())
        .isEqualTo(
            "expected a list of host names, IP addresses or host mappings, found the text 'gpu-1'");
    assertThat(onlyError(HEAD + "ssh_config: [a, b]\n").message())
        .startsWith("expected a mapping of hosts and how to log in to them");
  }

  @Test
  void namesAHostListedTwiceWithBothPlaces() {
    ConfigurationError error =
        onlyError(
            ssh(
                """
                hosts:
                  - 10.0.0.1
                  - 10.0.0.2
                  - {hostname: 10.0.0.1, port: 2222}
                  - hostname: 10.0.0.1
                    user: other
                """));

    assertThat(error.path()).isEqualTo("ssh_config.hosts[3]");
    assertThat(error.line()).isEqualTo(10);
    assertThat(error.column()).isEqualTo(7);
    assertThat(error.message())
        .isEqualTo("host 10.0.0.1 is listed twice (hosts[0] and hosts[3]); list each host once");

    // Names ignore case, and the fleet-wide port counts for hosts that give none.
    ConfigurationError byPort =
        onlyError(ssh("port: 2222\nhosts: [GPU-1, {hostname: gpu-1, port: 2222}]\n"));
    assertThat(byPort.path()).isEqualTo("ssh_config.hosts[1]");
    assertThat(byPort.message())
        .startsWith("host gpu-1:2222 is listed twice (hosts[0] and hosts[1])");
  }

  @Test
  void refusesBadPortsEverywhere() {
    ConfigurationError fleetWide = onlyError(ssh("port: 0\nhosts: [a]\n"));
    assertThat(fleetWide.path()).isEqualTo("ssh_config.port");
    assertThat(fleetWide.message()).startsWith("invalid port 0: expected a port from 1 to 65535");

    List<ConfigurationError> errors =
        errors(
            ssh(
                """
                proxy_jump: {hostname: j, port: 65536}
                hosts:
                  - {hostname: a, port: ssh}
                  - {hostname: b, port: 99999999999}
                  - {hostname: c, port: -1}
                """));
    assertThat(errors)
        .extracting(ConfigurationError::path)
        .containsExactly(
            "ssh_config.proxy_jump.port",
            "ssh_config.hosts[0].port",
            "ssh_config.hosts[1].port",
            "ssh_config.hosts[2].port");
    assertThat(errors.get(1).message())
        .isEqualTo("expected a port from 1 to 65535, found the text 'ssh'");
  }

  @Test
  void refusesAnInternalIpThatIsNotAnAddress() {
    ConfigurationError error =
        onlyError(ssh("hosts:\n  - hostname: a\n    internal_ip: gpu-1.local\n"));

    assertThat(error.path()).isEqualTo("ssh_config.hosts[0].internal_ip");
    assertThat(error.line()).isEqualTo(8);
    assertThat(error.column()).isEqualTo(20);
    assertThat(error.message())
        .isEqualTo(
            "invalid internal_ip 'gpu-1.local': expected an IPv4 or IPv6 address such as 10.0.0.5"
                + " or fd00::5");
    assertThat(onlyError(ssh("hosts: [{hostname: a, internal_ip: 10.0.0.256}]\n")).path())
        .isEqualTo("ssh_config.hosts[0].internal_ip");
    assertThat(onlyError(ssh("hosts: [{hostname: a, internal_ip: \"fd00::1::2\"}]\n")).path())
        .isEqualTo("ssh_config.hosts[0].internal_ip");
  }

  @Test
  void refusesABadNetwork() {
    ConfigurationError notCidr = onlyError(ssh("network: 10.0.0.0/33\nhosts: [a]\n"));
    assertThat(notCidr.path()).isEqualTo("ssh_config.network");
    assertThat(notCidr.message())
        .isEqualTo(
            "invalid network '10.0.0.0/33': the prefix length of an IPv4 network goes from 0 to 32");
    assertThat(onlyError(ssh("network: 10.0.0.1/24\nhosts: [a]\n")).message())
        .isEqualTo(
            "invalid network '10.0.0.1/24': the address has bits set past the /24 prefix; did you"
                + " mean 10.0.0.0/24?");
    assertThat(onlyError(ssh("network: office-lan\nhosts: [a]\n")).message())
        .startsWith(
            "invalid network 'office-lan': expected a network in CIDR form such as 10.0.0.0/24");
    assertThat(onlyError(ssh("network: 10.0.0.0/x\nhosts: [a]\n")).message())
        .contains("'x' is not a prefix length");
  }

  @Test
  void refusesBlocksThatAreNotPositiveOrAuto() {
    ConfigurationError zero = onlyError(ssh("hosts: [a]\n") + "blocks: 0\n");
    assertThat(zero.path()).isEqualTo("blocks");
    assertThat(zero.message()).startsWith("invalid blocks 0: a host splits into at least 1 block");
    assertThat(onlyError(ssh("hosts: [{hostname: a, blocks: -2}]\n")).path())
        .isEqualTo("ssh_config.hosts[0].blocks");
    assertThat(onlyError(ssh("hosts: [a]\n") + "blocks: many\n").message())
        .startsWith("invalid blocks 'many': expected a whole number of at least 1, or auto");
    assertThat(onlyError(ssh("hosts: [a]\n") + "blocks: 1.5\n").path()).isEqualTo("blocks");
  }

  @Test
  void refusesAPlacementOtherThanAnyOrCluster() {
    ConfigurationError error = onlyError(ssh("hosts: [a]\n") + "placement: spread\n");

    assertThat(error.path()).isEqualTo("placement");
    assertThat(error.line()).isEqualTo(7);
    assertThat(error.column()).isEqualTo(12);
    assertThat(error.message()).isEqualTo("invalid placement 'spread': expected any or cluster");
  }

  @Test
  void suggestsTheFieldAMisspeltOneMeantAtEveryLevel() {
    List<ConfigurationError> errors =
        errors(
            HEAD
                + "placment: any\n"
                + "ssh_config:\n"
                + "  usr: ubuntu\n"
                + "  user: ubuntu\n"
                + "  identity_file: k\n"
                + "  hosts:\n"
                + "    - hostname: a\n"
                + "      internal_ipp: 10.0.0.1\n"
                + "      proxy_jump: {hostname: j, identityfile: k}\n");

    assertThat(errors)
        .extracting(ConfigurationError::path)
        .containsExactly(
            "placment",
            "ssh_config.usr",
            "ssh_config.hosts[0].internal_ipp",
            "ssh_config.hosts[0].proxy_jump.identityfile");
    assertThat(errors.get(0).message())
        .startsWith("unknown field 'placment'; did you mean 'placement'?");
    assertThat(errors.get(1).message())
        .startsWith("unknown field 'usr' in ssh_config; did you mean 'user'?");
    assertThat(errors.get(2).message())
        .startsWith(
            "unknown field 'internal_ipp' in ssh_config.hosts[0]; did you mean 'internal_ip'?");
    assertThat(errors.get(3).message())
        .startsWith(
            "unknown field 'identityfile' in ssh_config.hosts[0].proxy_jump; did you mean"
                + " 'identity_file'?");
  }

  @Test
  void tellsDstackFleetFieldsBosunLacksFromUnknownOnes() {
    List<ConfigurationError> errors =
        errors(
            ssh("hosts: [a]\nssh_key: {public: x, private: y}\n")
                + "backends: [aws]\nregions: [us-east-1]\nspot_policy: auto\nmax_price: 1.5\n"
                + "reservation: r-1\ntermination_policy: destroy-after-idle\n"
                + "termination_idle_time: 5m\nretry: true\ninstance_types: [p5.48xlarge]\n");

    assertThat(errors)
        .extracting(ConfigurationError::path)
        .containsExactly(
            "ssh_config.ssh_key",
            "backends",
            "regions",
            "spot_policy",
            "max_price",
            "reservation",
            "termination_policy",
            "termination_idle_time",
            "retry",
            "instance_types");
    assertThat(errors.get(0).message())
        .isEqualTo(
            "field 'ssh_key' is not supported yet by Bosun (give identity_file, the path of the"
                + " private key, instead)");
    assertThat(errors.subList(1, errors.size()))
        .allSatisfy(
            error ->
                assertThat(error.message())
                    .endsWith(
                        "is not supported yet by Bosun (cloud fleets come in a later release)"));
  }

  @Test
  void requiresAUserAndAKeyForEveryHost() {
    ConfigurationError noUserAnywhere =
        onlyError(HEAD + "ssh_config:\n  identity_file: k\n  hosts: [a, b]\n");
    assertThat(noUserAnywhere.path()).isEqualTo("ssh_config.user");
    assertThat(noUserAnywhere.line()).isEqualTo(4);
    assertThat(noUserAnywhere.message())
        .startsWith("field 'user' is required: the user to log in as, e.g. user: ubuntu");

    ConfigurationError oneHostWithout =
        onlyError(
            HEAD
                + "ssh_config:\n  user: u\n  hosts:\n    - {hostname: a, identity_file: k}\n"
                + "    - b\n");
    assertThat(oneHostWithout.path()).isEqualTo("ssh_config.hosts[1]");
    assertThat(oneHostWithout.line()).isEqualTo(7);
    assertThat(oneHostWithout.message())
        .isEqualTo(
            "no identity_file for b: give ssh_config.identity_file for every host, or"
                + " identity_file in hosts[1] (e.g. identity_file: ~/.ssh/id_ed25519)");
  }

  @Test
  void requiresAUserAndKeyForAJumpHostThatAHostUses() {
    ConfigurationError error =
        onlyError(
            HEAD
                + "ssh_config:\n"
                + "  hosts:\n"
                + "    - hostname: a\n"
                + "      user: u\n"
                + "      identity_file: k\n"
                + "      proxy_jump: {hostname: j, user: ju}\n");

    assertThat(error.path()).isEqualTo("ssh_config.hosts[0].proxy_jump");
    assertThat(error.line()).isEqualTo(8);
    assertThat(error.message())
        .startsWith(
            "no identity_file for j: give ssh_config.identity_file for every host, or"
                + " identity_file in proxy_jump");

    // A fleet-wide jump host that every host overrides is not checked.
    assertThat(
            fleetParses(
                HEAD
                    + "ssh_config:\n"
                    + "  proxy_jump: {hostname: unused}\n"
                    + "  hosts:\n"
                    + "    - {hostname: a, user: u, identity_file: k,"
                    + " proxy_jump: {hostname: j, user: u, identity_file: k}}\n"))
        .isTrue();
    assertThat(onlyError(ssh("proxy_jump: bastion\nhosts: [a]\n")).message())
        .startsWith("expected a mapping with hostname, user and identity_file");
    assertThat(onlyError(ssh("proxy_jump: {user: u}\nhosts: [a]\n")).message())
        .startsWith("field 'hostname' is required in proxy_jump");
  }

  @Test
  void refusesHostsThatAreNotHostNames() {
    List<ConfigurationError> errors =
        errors(
            ssh(
                """
                hosts:
                  - ubuntu@10.0.0.1
                  - gpu-1:2222
                  - "two words"
                  - 10.0.0.300
                  - [a]
                  -
                  - {port: 22}
                  - ""
                """));

    assertThat(errors)
        .extracting(ConfigurationError::path)
        .containsExactly(
            "ssh_config.hosts[0]",
            "ssh_config.hosts[1]",
            "ssh_config.hosts[2]",
            "ssh_config.hosts[3]",
            "ssh_config.hosts[4]",
            "ssh_config.hosts[5]",
            "ssh_config.hosts[6].hostname",
            "ssh_config.hosts[7]");
    assertThat(errors.get(0).message()).contains("give the user in the field user");
    assertThat(errors.get(1).message()).contains("give the port in the field port");
    assertThat(errors.get(3).message()).contains("not a valid IPv4 address");
    assertThat(errors.get(4).message())
        .startsWith("expected a host name, an IP address or a mapping");
    assertThat(errors.get(6).message()).startsWith("field 'hostname' is required in a host");
  }

  @Test
  void refusesNodesThatCannotHoldTheHosts() {
    ConfigurationError error = onlyError(ssh("hosts: [a, b, c]\n") + "nodes: 2\n");

    assertThat(error.path()).isEqualTo("nodes");
    assertThat(error.line()).isEqualTo(7);
    assertThat(error.message())
        .isEqualTo(
            "nodes: 2 does not match the 3 hosts of ssh_config.hosts; an SSH fleet has one node per"
                + " host, so leave nodes out");
    assertThat(onlyError(ssh("hosts: [a]\n") + "nodes: many\n").message()).startsWith("invalid");
  }

  @Test
  void reportsEveryProblemOfAFleetAtOnce() {
    List<ConfigurationError> errors =
        errors(
            "type: fleet\n"
                + "placement: ring\n"
                + "blocks: 0\n"
                + "ssh_config:\n"
                + "  user: ubuntu\n"
                + "  identity_file: k\n"
                + "  network: 10.0.0.0/99\n"
                + "  hosts: [a, {hostname: b, internal_ip: x}, a]\n");

    assertThat(errors)
        .extracting(ConfigurationError::path)
        .containsExactly(
            "name", "placement", "blocks", "ssh_config.network", "ssh_config.hosts[1].internal_ip");
  }

  @Test
  void namesEverySupportedTypeWhenTheTypeIsWrong() {
    assertThat(onlyError("type: flet\n").message())
        .isEqualTo(
            "unknown type 'flet'; did you mean 'fleet'? Supported: task, service, dev-environment, fleet");
    assertThat(onlyError("type: gateway\n").message())
        .isEqualTo(
            "type 'gateway' is not supported yet; supported: task, service, dev-environment, fleet");
    assertThat(onlyError("name: x\n").message())
        .startsWith(
            "field 'type' is required; supported types: task, service, dev-environment, fleet");
  }

  private static boolean fleetParses(String yaml) {
    return ConfigurationParser.parseAny(yaml, "fleet.bosun.yml") instanceof FleetConfiguration;
  }
}
