package dev.bosun.model.config;

import java.util.Objects;

/**
 * One entry of {@code ssh_config.hosts} as the file writes it: a plain host name or IP address, or
 * a mapping that also overrides the fleet-wide SSH settings for this host. A field left out is null
 * and falls back to {@code ssh_config}'s (see {@link SshConfig#effectiveHosts}).
 *
 * @param hostname the host's name or IP address, as the server reaches it over SSH
 * @param port its SSH port, or null
 * @param user the user to log in as, or null
 * @param identityFile the private key's path as written ({@code ~} allowed), or null
 * @param internalIp the address the fleet's hosts reach each other on, or null to detect it
 * @param blocks how many shares the host splits into, or null for the fleet's {@code blocks}
 * @param proxyJump the jump host for this host, or null for {@code ssh_config.proxy_jump}
 */
public record SshHost(
    String hostname,
    Integer port,
    String user,
    String identityFile,
    String internalIp,
    Blocks blocks,
    SshProxyJump proxyJump) {
  public SshHost {
    SshFieldRules.hostname(Objects.requireNonNull(hostname, "hostname is null"));
    if (port != null) {
      SshFieldRules.port(port);
    }
    if (user != null) {
      SshFieldRules.user(user);
    }
    if (identityFile != null) {
      SshFieldRules.identityFile(identityFile);
    }
    if (internalIp != null) {
      SshFieldRules.internalIp(internalIp);
    }
  }

  /** A host given as a plain name or address, every setting from {@code ssh_config}. */
  public static SshHost of(String hostname) {
    return new SshHost(hostname, null, null, null, null, null, null);
  }
}
