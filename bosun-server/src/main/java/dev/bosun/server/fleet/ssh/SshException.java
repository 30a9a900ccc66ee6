package dev.bosun.server.fleet.ssh;

import java.util.Objects;

/**
 * An SSH operation on a host did not succeed. The {@link #reason() reason} is what callers decide
 * on (never the message); the message is one sentence for the user that names the host and says how
 * to fix it where Bosun knows.
 */
public final class SshException extends RuntimeException {

  /** Why an SSH operation failed. */
  public enum Reason {
    /**
     * Nothing answers at the address (connection refused, no route, unknown host name), or it hung
     * up before the SSH handshake finished.
     */
    UNREACHABLE(true),
    /** The host did not answer in time (connecting, or the SSH handshake). */
    TIMEOUT(true),
    /** The host refused the key for the user. */
    AUTH_FAILED(false),
    /** The key file is protected by a passphrase, which Bosun does not support. */
    KEY_PROTECTED(false),
    /** The key file is missing, unreadable or not a private key Bosun can read. */
    KEY_UNREADABLE(false),
    /** The host presented a key other than the one recorded or in known_hosts. */
    HOST_KEY_CHANGED(false),
    /** The host key is not known and the policy does not trust new keys. */
    HOST_KEY_UNKNOWN(false),
    /** The known_hosts file given for the fleet exists but cannot be read. */
    KNOWN_HOSTS_UNREADABLE(false),
    /** The jump host could not be used; the cause is the jump host's own {@link SshException}. */
    JUMP_FAILED(true),
    /** The SSH session ended (the host went away, or it was closed) during the operation. */
    DISCONNECTED(true),
    /** A remote command did not finish within its timeout. */
    COMMAND_TIMEOUT(true),
    /** A remote command or transfer failed (for an upload: the remote side reported an error). */
    COMMAND_FAILED(false),
    /** A port forward could not be opened. */
    FORWARD_FAILED(true);

    private final boolean transientFailure;

    Reason(boolean transientFailure) {
      this.transientFailure = transientFailure;
    }

    /** Whether trying again later may succeed without anyone changing anything. */
    public boolean isTransient() {
      return transientFailure;
    }
  }

  private final Reason reason;

  public SshException(Reason reason, String message) {
    this(reason, message, null);
  }

  public SshException(Reason reason, String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message is null"), cause);
    this.reason = Objects.requireNonNull(reason, "reason is null");
  }

  public Reason reason() {
    return reason;
  }

  /**
   * Whether trying again later may succeed. For a {@link Reason#JUMP_FAILED} failure this is the
   * jump host's own reason: a changed key on the jump host stays changed.
   */
  public boolean isTransient() {
    if (reason == Reason.JUMP_FAILED && getCause() instanceof SshException jump) {
      return jump.isTransient();
    }
    return reason.isTransient();
  }
}
