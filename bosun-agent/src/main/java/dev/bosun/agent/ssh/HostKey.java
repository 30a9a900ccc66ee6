package dev.bosun.agent.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Iterator;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.io.resource.PathResource;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SSH server's host key: an ed25519 key in OpenSSH format, generated on first start and kept
 * (mode 0600, with a {@code .pub} beside it) so that clients that pinned it keep trusting the
 * agent.
 */
final class HostKey {
  private static final Logger LOG = LoggerFactory.getLogger(HostKey.class);

  private HostKey() {}

  /** Reads the key in {@code file}, or generates and writes one when there is none. */
  static KeyPair loadOrCreate(Path file) throws IOException {
    if (Files.exists(file)) {
      return read(file);
    }
    KeyPair pair;
    try {
      pair = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot generate an ed25519 host key: " + e.getMessage(), e);
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    Files.createFile(
        temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.TRUNCATE_EXISTING)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "bosun-agent", null, out);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot write the host key " + file + ": " + e.getMessage(), e);
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    Files.writeString(
        file.resolveSibling(file.getFileName() + ".pub"), openSsh(pair) + " bosun-agent\n");
    LOG.info("generated the SSH host key {} ({})", file, KeyUtils.getFingerPrint(pair.getPublic()));
    return pair;
  }

  /** The public key as {@code ssh-ed25519 AAAA…}. */
  static String openSsh(KeyPair pair) {
    return JobKeys.canonical(pair.getPublic());
  }

  private static KeyPair read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      Iterable<KeyPair> pairs =
          SecurityUtils.loadKeyPairIdentities(null, new PathResource(file), in, null);
      Iterator<KeyPair> iterator = pairs == null ? null : pairs.iterator();
      if (iterator == null || !iterator.hasNext()) {
        throw new IOException("no key in " + file + "; remove it to get a new host key");
      }
      return iterator.next();
    } catch (GeneralSecurityException e) {
      throw new IOException(
          "cannot read the host key "
              + file
              + ": "
              + e.getMessage()
              + "; remove it to get a new one",
          e);
    }
  }
}
