package dev.bosun.server.fleet.ssh;

import java.util.Optional;

/**
 * The host keys Bosun trusted on first use, one per host and port, kept per fleet. The server backs
 * it with its database; {@link FileHostKeyStore} keeps them in a file. Implementations must be safe
 * to call from several threads.
 */
public interface HostKeyStore {
  /** The key recorded for this host and port, if any. */
  Optional<HostKey> known(String host, int port);

  /** Records (or replaces) the key of this host and port. */
  void remember(String host, int port, HostKey key);

  /** Forgets the key of this host and port, so that the next connection trusts it anew. */
  void forget(String host, int port);
}
