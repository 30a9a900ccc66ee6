package dev.bosun.server.fleet.ssh;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How to decide whether a host's key is the host's. A host listed in the known_hosts file (when one
 * is given) must present a key listed there. Any other host must present the key recorded in the
 * fleet's {@link HostKeyStore}; a host with no recorded key is trusted on first use and its key
 * recorded once authentication succeeds, unless {@code trustNewHosts} is false. Jump hosts are
 * checked the same way.
 */
public record HostKeyPolicy(
    Optional<Path> knownHostsFile, HostKeyStore store, boolean trustNewHosts) {

  public HostKeyPolicy {
    Objects.requireNonNull(knownHostsFile, "knownHostsFile is null");
    Objects.requireNonNull(store, "store is null");
  }

  /** Trust on first use, recorded in {@code store}; no known_hosts file. */
  public static HostKeyPolicy trustOnFirstUse(HostKeyStore store) {
    return new HostKeyPolicy(Optional.empty(), store, true);
  }

  /** The same policy, also honouring the hosts listed in {@code knownHosts} (if it exists). */
  public HostKeyPolicy withKnownHosts(Path knownHosts) {
    return new HostKeyPolicy(Optional.of(knownHosts), store, trustNewHosts);
  }

  /** The same policy, refusing hosts that are neither in known_hosts nor in the store. */
  public HostKeyPolicy refusingNewHosts() {
    return new HostKeyPolicy(knownHostsFile, store, false);
  }
}
