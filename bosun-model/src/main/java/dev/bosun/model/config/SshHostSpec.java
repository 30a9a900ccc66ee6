package dev.bosun.model.config;

import java.util.Objects;

/**
 * How the server reaches one host of an SSH fleet, with every fleet-wide default applied: what
 * {@link SshConfig#effectiveHosts} returns. Two specs are equal exactly when the server would do
 * the same for both, so that re-applying a fleet file can keep unchanged hosts.
 *
 * @param hostname the host's name or IP address
 * @param port its SSH port
 * @param user the user to log in as
 * @param identityFile the private key's path as written in the file ({@code ~} not expanded): the
 *     CLI, which runs where the file was written, resolves it
 * @param proxyJump the jump host with every field resolved, or null to connect directly
 * @param internalIp the address the fleet's hosts reach each other on, or null to detect it
 * @param blocks how many shares the host splits into
 */
public record SshHostSpec(
    String hostname,
    int port,
    String user,
    String identityFile,
    SshProxyJump proxyJump,
    String internalIp,
    Blocks blocks) {
  public SshHostSpec {
    SshFieldRules.hostname(Objects.requireNonNull(hostname, "hostname is null"));
    SshFieldRules.port(port);
    SshFieldRules.user(Objects.requireNonNull(user, "user is null"));
    SshFieldRules.identityFile(Objects.requireNonNull(identityFile, "identityFile is null"));
    if (proxyJump != null && !proxyJump.isResolved()) {
      throw new IllegalArgumentException(
          "the proxy jump of an effective host needs its port, user and identity file");
    }
    if (internalIp != null) {
      SshFieldRules.internalIp(internalIp);
    }
    Objects.requireNonNull(blocks, "blocks is null");
  }

  /**
   * What identifies the host within a fleet: the host name ignoring case, and the port. A fleet
   * never lists two hosts with the same identity.
   */
  public String identity() {
    return SshFieldRules.identity(hostname, port);
  }

  /** {@code hostname}, or {@code hostname:port} when the port is not 22: how messages name it. */
  public String address() {
    return SshFieldRules.describe(hostname, port);
  }
}
