package dev.bosun.server.fleet.ssh;

import java.security.PublicKey;
import java.util.Objects;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.digest.BuiltinDigests;

/**
 * A host's public key in OpenSSH form ({@code ssh-ed25519 AAAAC3Nz...}, no comment): what a {@link
 * HostKeyStore} records and compares. A trailing comment is dropped; two keys are the same key when
 * their text is equal.
 */
public record HostKey(String openSsh) {

  public HostKey {
    Objects.requireNonNull(openSsh, "openSsh is null");
    String[] parts = openSsh.strip().split("\\s+");
    if (parts.length < 2) {
      throw new IllegalArgumentException(
          "a host key is 'TYPE BASE64' (as in known_hosts), not '" + openSsh + "'");
    }
    openSsh = parts[0] + " " + parts[1];
  }

  public static HostKey of(PublicKey key) {
    return new HostKey(PublicKeyEntry.toString(key));
  }

  /** The key type as OpenSSH names it: {@code ssh-ed25519}, {@code ssh-rsa}, … */
  public String type() {
    return openSsh.substring(0, openSsh.indexOf(' '));
  }

  /** The fingerprint as {@code ssh-keygen -l} prints it: {@code SHA256:base64}. */
  public String fingerprint() {
    return KeyUtils.getFingerPrint(BuiltinDigests.sha256, publicKey());
  }

  /** The key itself; throws {@link IllegalStateException} if its type is one Bosun cannot read. */
  public PublicKey publicKey() {
    try {
      return PublicKeyEntry.parsePublicKeyEntry(openSsh)
          .resolvePublicKey(null, null, PublicKeyEntryResolver.FAILING);
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the host key " + openSsh, e);
    }
  }

  @Override
  public String toString() {
    return type() + " " + fingerprint();
  }
}
