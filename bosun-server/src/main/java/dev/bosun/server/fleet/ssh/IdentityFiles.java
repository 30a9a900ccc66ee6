package dev.bosun.server.fleet.ssh;

import dev.bosun.server.fleet.ssh.SshException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Collection;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.security.SecurityUtils;

/** Reads private key files (OpenSSH or PEM; ed25519, RSA, ECDSA) into key pairs. */
final class IdentityFiles {
  private static final String FORMATS =
      "use an ed25519, RSA or ECDSA private key in OpenSSH or PEM format, as ssh-keygen writes it";

  private IdentityFiles() {}

  /** The key pair in {@code file}; throws {@link SshException} with a KEY_ reason otherwise. */
  static KeyPair load(Path file) {
    if (!Files.exists(file)) {
      throw new SshException(Reason.KEY_UNREADABLE, "the key file " + file + " does not exist");
    }
    if (Files.isDirectory(file)) {
      throw new SshException(
          Reason.KEY_UNREADABLE, "the key file " + file + " is a directory; " + FORMATS);
    }
    if (encryptedPem(file)) {
      throw new SshException(Reason.KEY_PROTECTED, protectedMessage(file));
    }
    Collection<KeyPair> pairs;
    try {
      pairs =
          SecurityUtils.getKeyPairResourceParser()
              .loadKeyPairs(null, file, PassphraseRefused.PROVIDER);
    } catch (PassphraseRefused e) {
      throw new SshException(Reason.KEY_PROTECTED, protectedMessage(file));
    } catch (AccessDeniedException e) {
      throw new SshException(
          Reason.KEY_UNREADABLE,
          "the key file " + file + " cannot be read by the Bosun server (permission denied)",
          e);
    } catch (NoSuchFileException e) {
      throw new SshException(Reason.KEY_UNREADABLE, "the key file " + file + " does not exist", e);
    } catch (Exception | LinkageError e) {
      if (hasCause(e, PassphraseRefused.class)) {
        throw new SshException(Reason.KEY_PROTECTED, protectedMessage(file));
      }
      throw new SshException(
          Reason.KEY_UNREADABLE,
          "the key file " + file + " cannot be read (" + e.getMessage() + "); " + FORMATS,
          e);
    }
    if (pairs == null || pairs.isEmpty()) {
      throw new SshException(
          Reason.KEY_UNREADABLE, "the file " + file + " holds no private key; " + FORMATS);
    }
    return pairs.iterator().next();
  }

  /**
   * Whether the file is a PEM key encrypted with a passphrase: legacy OpenSSL ({@code Proc-Type:
   * 4,ENCRYPTED}) or PKCS#8 ({@code ENCRYPTED PRIVATE KEY}), which the parser could only tell with
   * more BouncyCastle modules. OpenSSH-format keys ask for the passphrase themselves.
   */
  private static boolean encryptedPem(Path file) {
    try {
      if (Files.size(file) > 64 * 1024) {
        return false;
      }
      String text = Files.readString(file, StandardCharsets.ISO_8859_1);
      return text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")
          || text.contains("Proc-Type: 4,ENCRYPTED");
    } catch (IOException e) {
      return false; // the parser reports it
    }
  }

  private static String protectedMessage(Path file) {
    return "the key "
        + file
        + " is protected by a passphrase; Bosun needs a key without one (or an ssh-agent, not"
        + " supported yet)";
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /** Thrown by the parser's password callback: the file is encrypted and we have no passphrase. */
  private static final class PassphraseRefused extends IOException {
    static final FilePasswordProvider PROVIDER =
        (SessionContext session, NamedResource resource, int retry) -> {
          throw new PassphraseRefused();
        };

    PassphraseRefused() {
      super("the key is protected by a passphrase", null);
    }
  }
}
