package dev.bosun.model.config;

import dev.bosun.model.resources.IntRange;
import dev.bosun.model.resources.ResourcesSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code type: fleet} configuration: machines the user owns, reached over SSH, that become the
 * fleet's instances. A field the file leaves out is null (or empty), never a default, except where
 * a method says {@code OrDefault}.
 *
 * @param name the fleet's name: required, with the same rule as run names
 * @param placement {@code any} or {@code cluster}, or null for {@code any}
 * @param nodes the number of instances, or null; an SSH fleet has one per host, so a given range
 *     must contain the number of hosts (it matters for cloud fleets, which come later)
 * @param blocks how many shares each host splits into, or null for 1; a host may override it
 * @param env environment variables for the fleet's hosts; {@link Environment#EMPTY} when none
 * @param resources the resources each instance must have; {@link ResourcesSpec#UNSPECIFIED} when
 *     not given
 * @param idleDuration {@code idle_duration}, or null when not given; SSH hosts are never terminated
 *     for being idle, so it matters for cloud fleets only
 * @param sshConfig the hosts and how to reach them; required, as Bosun supports SSH fleets only
 * @param tags labels, in file order
 */
public record FleetConfiguration(
    String name,
    FleetPlacement placement,
    IntRange nodes,
    Blocks blocks,
    Environment env,
    ResourcesSpec resources,
    TimeLimit idleDuration,
    SshConfig sshConfig,
    Map<String, String> tags)
    implements Configuration {
  /** The {@code type} value of fleet files. */
  public static final String TYPE = "fleet";

  public FleetConfiguration {
    RunFieldRules.fleetName(Objects.requireNonNull(name, "name is null: a fleet needs a name"));
    env = env == null ? Environment.EMPTY : env;
    resources = resources == null ? ResourcesSpec.UNSPECIFIED : resources;
    Objects.requireNonNull(sshConfig, "sshConfig is null: Bosun supports SSH fleets only");
    if (nodes != null) {
      nodesMatchHosts(nodes, sshConfig.hosts().size());
    }
    tags =
        tags == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(RunFieldRules.tags(tags)));
  }

  /** An SSH fleet with only a name and its hosts, every other field left out. */
  public static FleetConfiguration ssh(String name, SshConfig sshConfig) {
    return new FleetConfiguration(name, null, null, null, null, null, null, sshConfig, null);
  }

  @Override
  public String type() {
    return TYPE;
  }

  /** The placement, {@link FleetPlacement#ANY} when the file does not say. */
  public FleetPlacement placementOrDefault() {
    return placement == null ? FleetPlacement.ANY : placement;
  }

  /** The fleet-wide {@code blocks}, {@link Blocks#ONE} when the file does not say. */
  public Blocks blocksOrDefault() {
    return blocks == null ? Blocks.ONE : blocks;
  }

  /**
   * Every host with the defaults applied, in file order: see {@link
   * SshConfig#effectiveHosts(Blocks)}, with this fleet's {@code blocks}.
   */
  public List<SshHostSpec> effectiveHosts() {
    return sshConfig.effectiveHosts(blocks);
  }

  /** The same configuration with another name, as {@code bosun apply -n NAME} may need. */
  public FleetConfiguration withName(String newName) {
    return new FleetConfiguration(
        newName, placement, nodes, blocks, env, resources, idleDuration, sshConfig, tags);
  }

  /**
   * The same configuration with another environment, such as {@link Environment#resolve}'s result.
   */
  public FleetConfiguration withEnv(Environment newEnv) {
    return new FleetConfiguration(
        name, placement, nodes, blocks, newEnv, resources, idleDuration, sshConfig, tags);
  }

  /** Throws when {@code nodes} cannot hold the hosts; the message is the binder's too. */
  static void nodesMatchHosts(IntRange nodes, int hosts) {
    if (!nodes.contains(hosts)) {
      throw new IllegalArgumentException(
          "nodes: "
              + nodes
              + " does not match the "
              + hosts
              + (hosts == 1 ? " host" : " hosts")
              + " of ssh_config.hosts; an SSH fleet has one node per host, so leave nodes out");
    }
  }
}
