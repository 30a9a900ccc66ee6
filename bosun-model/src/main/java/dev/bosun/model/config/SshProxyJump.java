package dev.bosun.model.config;

import java.util.Objects;

/**
 * A jump host ({@code proxy_jump}) that the server connects through to reach a fleet's host, as
 * {@code ssh -J} does. It may be given for all hosts in {@code ssh_config} or for one host.
 *
 * <p>As written in the file, {@code port}, {@code user} and {@code identityFile} may be null; in
 * {@link SshHostSpec#proxyJump()} they are resolved and never null (see {@link
 * SshConfig#effectiveHosts}).
 *
 * @param hostname the jump host's name or IP address
 * @param port its SSH port, or null for 22
 * @param user the user to log in as, or null for {@code ssh_config.user}
 * @param identityFile the private key's path as written ({@code ~} allowed), or null for {@code
 *     ssh_config.identity_file}
 */
public record SshProxyJump(String hostname, Integer port, String user, String identityFile) {
  public SshProxyJump {
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
  }

  /** True when every field is given, as in an effective host spec. */
  public boolean isResolved() {
    return port != null && user != null && identityFile != null;
  }

  /** {@code hostname}, or {@code hostname:port} when the port is not 22: how messages name it. */
  public String address() {
    return SshFieldRules.describe(hostname, port == null ? SshFieldRules.DEFAULT_PORT : port);
  }
}
