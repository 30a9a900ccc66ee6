package dev.bosun.server.fleet.ssh;

import dev.bosun.server.fleet.ssh.SshException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * The host key decision for one connection to one host: prepared before connecting (it reads
 * known_hosts and the store), asked by the SSH client during the handshake, and committed (a new
 * key recorded) once authentication succeeds.
 */
final class HostKeyCheck {
  /** Where the client finds the check of the connection it is verifying. */
  static final AttributeKey<HostKeyCheck> ATTRIBUTE = new AttributeKey<>();

  private final String host;
  private final int port;
  private final HostKeyPolicy policy;
  private final List<HostKey> knownHostsKeys;
  private final List<HostKey> revokedKeys;
  private final Optional<HostKey> recorded;
  private volatile HostKey presented;
  private volatile SshException refusal;

  private HostKeyCheck(
      String host,
      int port,
      HostKeyPolicy policy,
      List<HostKey> knownHostsKeys,
      List<HostKey> revokedKeys,
      Optional<HostKey> recorded) {
    this.host = host;
    this.port = port;
    this.policy = policy;
    this.knownHostsKeys = knownHostsKeys;
    this.revokedKeys = revokedKeys;
    this.recorded = recorded;
  }

  static HostKeyCheck prepare(String host, int port, HostKeyPolicy policy) {
    List<HostKey> listed = new ArrayList<>();
    List<HostKey> revoked = new ArrayList<>();
    if (policy.knownHostsFile().isPresent() && Files.exists(policy.knownHostsFile().get())) {
      readKnownHosts(policy.knownHostsFile().get(), host, port, listed, revoked);
    }
    Optional<HostKey> recorded =
        listed.isEmpty() ? policy.store().known(host, port) : Optional.empty();
    return new HostKeyCheck(host, port, policy, List.copyOf(listed), revoked, recorded);
  }

  private static void readKnownHosts(
      Path file, String host, int port, List<HostKey> listed, List<HostKey> revoked) {
    try {
      for (KnownHostEntry entry : KnownHostEntry.readKnownHostEntries(file)) {
        if (entry.getKeyEntry() == null || !entry.isHostMatch(host, port)) {
          continue;
        }
        PublicKey key =
            entry.getKeyEntry().resolvePublicKey(null, null, PublicKeyEntryResolver.IGNORING);
        if (key == null) {
          continue; // a key type we cannot read: the host may still offer one we can
        }
        String marker = entry.getMarker();
        if (marker == null) {
          listed.add(HostKey.of(key));
        } else if (marker.equals("revoked")) {
          revoked.add(HostKey.of(key));
        }
      }
    } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
      throw new SshException(
          Reason.KNOWN_HOSTS_UNREADABLE,
          "the known_hosts file " + file + " cannot be read (" + e.getMessage() + ")",
          e);
    }
  }

  /**
   * The key types this host is known by, best first, so that the handshake asks for one of them (as
   * OpenSSH does): a host that has several keys is then not taken for one whose key changed.
   */
  List<String> knownKeyTypes() {
    List<HostKey> keys = knownHostsKeys.isEmpty() ? recorded.stream().toList() : knownHostsKeys;
    return keys.stream()
        .map(HostKey::type)
        .collect(Collectors.toCollection(LinkedHashSet::new))
        .stream()
        .toList();
  }

  /** Called by the client during the handshake: whether {@code key} is this host's. */
  boolean verify(PublicKey key) {
    HostKey offered = HostKey.of(key);
    presented = offered;
    refusal = decide(offered);
    return refusal == null;
  }

  private SshException decide(HostKey offered) {
    String address = SshTarget.address(host, port);
    if (revokedKeys.contains(offered)) {
      return new SshException(
          Reason.HOST_KEY_CHANGED,
          "the host key of "
              + address
              + " ("
              + offered.fingerprint()
              + ") is marked @revoked in "
              + policy.knownHostsFile().orElseThrow()
              + "; Bosun will not connect to it");
    }
    if (!knownHostsKeys.isEmpty()) {
      if (knownHostsKeys.contains(offered)) {
        return null;
      }
      Path file = policy.knownHostsFile().orElseThrow();
      return new SshException(
          Reason.HOST_KEY_CHANGED,
          "the host key of "
              + address
              + " has changed: "
              + file
              + " lists "
              + fingerprints(knownHostsKeys)
              + " but the host presents "
              + offered.fingerprint()
              + "; if the host was reinstalled, remove its old key with `ssh-keygen -R "
              + knownHostsName()
              + " -f "
              + file
              + "`, otherwise someone may be intercepting the connection");
    }
    if (recorded.isPresent()) {
      if (recorded.get().equals(offered)) {
        return null;
      }
      return new SshException(
          Reason.HOST_KEY_CHANGED,
          "the host key of "
              + address
              + " has changed since Bosun first connected to it (it was "
              + recorded.get().fingerprint()
              + ", now "
              + offered.fingerprint()
              + "); if the host was reinstalled, remove it from the fleet and add it again (or"
              + " reset its host key), otherwise someone may be intercepting the connection");
    }
    if (!policy.trustNewHosts()) {
      return new SshException(
          Reason.HOST_KEY_UNKNOWN,
          "the host key of "
              + address
              + " ("
              + offered.fingerprint()
              + ") is not known and this fleet does not trust new hosts; add it to the"
              + " known_hosts file (ssh-keyscan -p "
              + port
              + " "
              + host
              + ")");
    }
    return null;
  }

  private String knownHostsName() {
    return port == SshTarget.DEFAULT_PORT ? host : "'[" + host + "]:" + port + "'";
  }

  private static String fingerprints(List<HostKey> keys) {
    return keys.stream().map(HostKey::fingerprint).collect(Collectors.joining(", "));
  }

  /** Records the host's key when it was trusted on first use; call once authenticated. */
  void commit() {
    HostKey key = presented;
    if (key != null && refusal == null && knownHostsKeys.isEmpty() && recorded.isEmpty()) {
      policy.store().remember(host, port, key);
    }
  }

  /** Why the host key was refused, if it was. */
  Optional<SshException> refusal() {
    return Optional.ofNullable(refusal);
  }

  /** The key the host presented, once the handshake got that far. */
  Optional<HostKey> presented() {
    return Optional.ofNullable(presented);
  }
}
