package dev.bosun.server.fleet.hosts;

import dev.bosun.server.fleet.ssh.HostKey;
import dev.bosun.server.fleet.ssh.HostKeyStore;
import dev.bosun.store.Store;
import java.util.Optional;

/** Host keys trusted on first use, recorded per fleet in the server's database. */
public final class DatabaseHostKeyStore implements HostKeyStore {
  private final Store store;
  private final String fleetId;

  public DatabaseHostKeyStore(Store store, String fleetId) {
    this.store = store;
    this.fleetId = fleetId;
  }

  @Override
  public Optional<HostKey> known(String host, int port) {
    return store.hostKey(fleetId, host, port).filter(key -> !key.isBlank()).map(HostKey::new);
  }

  @Override
  public void remember(String host, int port, HostKey key) {
    store.rememberHostKey(fleetId, host, port, key.openSsh());
  }

  @Override
  public void forget(String host, int port) {
    store.rememberHostKey(fleetId, host, port, "");
  }
}
