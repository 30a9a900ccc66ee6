package dev.bosun.server.ssh;

import dev.bosun.api.AddSshKeyRequest;
import dev.bosun.api.SshKeyInfo;
import dev.bosun.model.error.BosunException;
import dev.bosun.model.error.ErrorCode;
import dev.bosun.store.SshKeyRecord;
import dev.bosun.store.Store;
import dev.bosun.store.UserRecord;
import java.security.PublicKey;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/** A user's SSH public keys: added, listed, removed; each change reaches running jobs at once. */
public final class SshKeys {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final Store store;
  private final SshAccess access;

  public SshKeys(Store store, SshAccess access) {
    this.store = store;
    this.access = access;
  }

  public List<SshKeyInfo> list(UserRecord user) {
    return store.sshKeys(user.id()).stream().map(SshKeys::info).toList();
  }

  public SshKeyInfo add(UserRecord user, AddSshKeyRequest request) {
    String name = request.name() == null ? "" : request.name().strip();
    if (!NAME.matcher(name).matches()) {
      throw new BosunException(
          ErrorCode.INVALID_REQUEST,
          "invalid key name '"
              + name
              + "': use 1 to 64 letters, digits, '.', '_' or '-', e.g. the name of your laptop");
    }
    String line = request.publicKey() == null ? "" : request.publicKey().strip();
    fingerprint(line); // refuses what is not one public key
    store.saveSshKey(user.id(), name, line);
    access.userKeysChanged(user.id());
    return info(new SshKeyRecord(name, line, java.time.Instant.now()));
  }

  public void delete(UserRecord user, String name) {
    if (!store.deleteSshKey(user.id(), name)) {
      throw new BosunException(ErrorCode.NOT_FOUND, "you have no SSH key named '" + name + "'");
    }
    access.userKeysChanged(user.id());
  }

  private static SshKeyInfo info(SshKeyRecord key) {
    return new SshKeyInfo(
        key.name(), key.publicKey(), fingerprint(key.publicKey()), key.createdAt());
  }

  /** The key's SHA256 fingerprint; refuses a line that is not exactly one OpenSSH public key. */
  static String fingerprint(String line) {
    if (line.isEmpty() || line.contains("\n") || line.startsWith("-----")) {
      throw notAKey();
    }
    try {
      PublicKey key =
          AuthorizedKeyEntry.parseAuthorizedKeyEntry(line)
              .resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
      return KeyUtils.getFingerPrint(key);
    } catch (Exception e) {
      throw notAKey();
    }
  }

  private static BosunException notAKey() {
    return new BosunException(
        ErrorCode.INVALID_REQUEST,
        "that is not an OpenSSH public key: give one line such as the content of"
            + " ~/.ssh/id_ed25519.pub (ssh-ed25519 AAAA… you@laptop), never a private key");
  }
}
