package dev.bosun.server.fleet.hosts;

import dev.bosun.server.fleet.ssh.SshTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the server reaches one SSH host, stored with the instance (as JSON) so that a restarted
 * server reconnects without the fleet file. Key paths are absolute: the CLI resolves {@code ~} and
 * relative paths where the file was written.
 *
 * @param jump the jump host, or null to connect directly
 * @param internalIp the address other hosts of the fleet reach it on, or null to detect it
 * @param blocks how many shares the host splits into (1 = whole host; 0 = auto)
 * @param env the fleet's {@code env}, resolved: every job on the host gets it (a run's own env
 *     wins)
 * @param network the fleet's {@code network} (CIDR), whose address on the host is its internal IP
 *     when {@code internalIp} is not given; null if the file has none
 */
public record HostSettings(
    String hostname,
    int port,
    String user,
    String identityFile,
    Jump jump,
    String internalIp,
    int blocks,
    java.util.Map<String, String> env,
    String network) {

  /** A jump host ({@code proxy_jump}). */
  public record Jump(String hostname, int port, String user, String identityFile) {}

  public HostSettings {
    Objects.requireNonNull(hostname, "hostname is null");
    Objects.requireNonNull(user, "user is null");
    Objects.requireNonNull(identityFile, "identityFile is null");
    env = env == null ? java.util.Map.of() : java.util.Map.copyOf(env);
  }

  /** How messages and instance names show the host: {@code name} or {@code name:port}. */
  public String address() {
    return port == SshTarget.DEFAULT_PORT ? hostname : hostname + ":" + port;
  }

  SshTarget target(Duration connectTimeout) {
    Optional<SshTarget> through =
        jump == null
            ? Optional.empty()
            : Optional.of(
                new SshTarget(
                    jump.hostname(),
                    jump.port(),
                    jump.user(),
                    Path.of(jump.identityFile()),
                    Optional.empty(),
                    connectTimeout));
    return new SshTarget(hostname, port, user, Path.of(identityFile), through, connectTimeout);
  }
}
