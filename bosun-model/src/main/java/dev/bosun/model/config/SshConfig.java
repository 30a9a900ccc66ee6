package dev.bosun.model.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code ssh_config} of a fleet: the machines to turn into the fleet's instances and how the
 * server logs in to them. Settings given here apply to every host; a host written as a mapping may
 * override {@code port}, {@code user}, {@code identity_file} and {@code proxy_jump}. Fields left
 * out are null; {@link #effectiveHosts} applies the fallbacks.
 *
 * <p>The constructor guarantees what {@link #effectiveHosts} needs: at least one host, no host
 * listed twice (same host name ignoring case, same effective port), and a user and an identity file
 * for every host and jump host.
 *
 * @param user the user to log in as, or null when every host gives its own
 * @param port the SSH port, or null for 22
 * @param identityFile the private key's path as written ({@code ~} allowed), or null when every
 *     host gives its own
 * @param proxyJump the jump host to reach every host through, or null to connect directly
 * @param hosts the hosts, in file order; at least one
 * @param network the network whose address on each host is its internal IP, or null
 */
public record SshConfig(
    String user,
    Integer port,
    String identityFile,
    SshProxyJump proxyJump,
    List<SshHost> hosts,
    IpNetwork network) {
  public SshConfig {
    if (user != null) {
      SshFieldRules.user(user);
    }
    if (port != null) {
      SshFieldRules.port(port);
    }
    if (identityFile != null) {
      SshFieldRules.identityFile(identityFile);
    }
    hosts = List.copyOf(Objects.requireNonNull(hosts, "hosts is null"));
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException(
          "ssh_config.hosts must list at least one host, e.g. hosts: [10.0.0.5]");
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < hosts.size(); i++) {
      SshHostSpec spec = resolve(hosts.get(i), i, user, port, identityFile, proxyJump, null);
      Integer first = seen.putIfAbsent(spec.identity(), i);
      if (first != null) {
        throw new IllegalArgumentException(duplicate(spec.address(), first, i));
      }
    }
  }

  /** Every host with the defaults applied, in file order; a host without {@code blocks} gets 1. */
  public List<SshHostSpec> effectiveHosts() {
    return effectiveHosts(null);
  }

  /**
   * Every host with the defaults applied, in file order. A field the host leaves out takes the
   * value of {@code ssh_config}; {@code port} is then 22. A host's jump host is its own {@code
   * proxy_jump}, else {@code ssh_config.proxy_jump}; a jump host's port is 22 unless it gives one,
   * and its {@code user} and {@code identity_file} fall back to {@code ssh_config}'s (not to the
   * target host's). A host's {@code blocks} falls back to {@code fleetBlocks}, then to 1.
   *
   * @param fleetBlocks the fleet's {@code blocks}, or null
   */
  public List<SshHostSpec> effectiveHosts(Blocks fleetBlocks) {
    List<SshHostSpec> specs = new ArrayList<>(hosts.size());
    for (int i = 0; i < hosts.size(); i++) {
      specs.add(resolve(hosts.get(i), i, user, port, identityFile, proxyJump, fleetBlocks));
    }
    return List.copyOf(specs);
  }

  /** The message for a host listed twice, shared with the binder. */
  static String duplicate(String address, int first, int second) {
    return "host "
        + address
        + " is listed twice (hosts["
        + first
        + "] and hosts["
        + second
        + "]); list each host once";
  }

  private static SshHostSpec resolve(
      SshHost host,
      int index,
      String user,
      Integer port,
      String identityFile,
      SshProxyJump proxyJump,
      Blocks fleetBlocks) {
    Objects.requireNonNull(host, () -> "hosts[" + index + "] is null");
    String hostUser = host.user() != null ? host.user() : user;
    String hostKey = host.identityFile() != null ? host.identityFile() : identityFile;
    if (hostUser == null) {
      throw new IllegalArgumentException(missing("user", "hosts[" + index + "]", host.hostname()));
    }
    if (hostKey == null) {
      throw new IllegalArgumentException(
          missing("identity_file", "hosts[" + index + "]", host.hostname()));
    }
    SshProxyJump jump = host.proxyJump() != null ? host.proxyJump() : proxyJump;
    return new SshHostSpec(
        host.hostname(),
        host.port() != null ? host.port() : port != null ? port : SshFieldRules.DEFAULT_PORT,
        hostUser,
        hostKey,
        jump == null ? null : resolve(jump, user, identityFile),
        host.internalIp(),
        host.blocks() != null ? host.blocks() : fleetBlocks != null ? fleetBlocks : Blocks.ONE);
  }

  private static SshProxyJump resolve(SshProxyJump jump, String user, String identityFile) {
    String jumpUser = jump.user() != null ? jump.user() : user;
    String jumpKey = jump.identityFile() != null ? jump.identityFile() : identityFile;
    if (jumpUser == null) {
      throw new IllegalArgumentException(missing("user", "proxy_jump", jump.hostname()));
    }
    if (jumpKey == null) {
      throw new IllegalArgumentException(missing("identity_file", "proxy_jump", jump.hostname()));
    }
    return new SshProxyJump(
        jump.hostname(),
        jump.port() != null ? jump.port() : SshFieldRules.DEFAULT_PORT,
        jumpUser,
        jumpKey);
  }

  /** The message for a host or jump host that has no user or key, shared with the binder. */
  static String missing(String field, String where, String hostname) {
    String example = field.equals("user") ? "user: ubuntu" : "identity_file: ~/.ssh/id_ed25519";
    return "no "
        + field
        + " for "
        + hostname
        + ": give ssh_config."
        + field
        + " for every host, or "
        + field
        + " in "
        + where
        + " (e.g. "
        + example
        + ")";
  }
}
