package dev.bosun.server.fleet.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and as whom to connect over SSH: a host, its port, the user, the private key file, and
 * optionally a jump host to go through first (OpenSSH's {@code ProxyJump}). The connect timeout
 * bounds the whole connection: TCP connect, handshake and authentication, jump host included.
 */
public record SshTarget(
    String hostname,
    int port,
    String user,
    Path identityFile,
    Optional<SshTarget> proxyJump,
    Duration connectTimeout) {

  public static final int DEFAULT_PORT = 22;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  public SshTarget {
    Objects.requireNonNull(hostname, "hostname is null");
    Objects.requireNonNull(user, "user is null");
    Objects.requireNonNull(identityFile, "identityFile is null");
    Objects.requireNonNull(proxyJump, "proxyJump is null");
    Objects.requireNonNull(connectTimeout, "connectTimeout is null");
    if (hostname.isBlank()) {
      throw new IllegalArgumentException("hostname is blank");
    }
    if (user.isBlank()) {
      throw new IllegalArgumentException("user is blank");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is not between 1 and 65535");
    }
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be positive");
    }
  }

  /** A direct target with the default connect timeout. */
  public static SshTarget of(String hostname, int port, String user, Path identityFile) {
    return new SshTarget(
        hostname, port, user, identityFile, Optional.empty(), DEFAULT_CONNECT_TIMEOUT);
  }

  /** This target reached through {@code jump}. */
  public SshTarget withProxyJump(SshTarget jump) {
    return new SshTarget(hostname, port, user, identityFile, Optional.of(jump), connectTimeout);
  }

  public SshTarget withConnectTimeout(Duration timeout) {
    return new SshTarget(hostname, port, user, identityFile, proxyJump, timeout);
  }

  /** {@code host:port} as users write it ({@code [::1]:22} for IPv6 literals). */
  public String address() {
    return address(hostname, port);
  }

  static String address(String hostname, int port) {
    return hostname.contains(":") ? "[" + hostname + "]:" + port : hostname + ":" + port;
  }

  @Override
  public String toString() {
    return user + "@" + address() + proxyJump.map(j -> " via " + j).orElse("");
  }
}
