package dev.bosun.server.fleet.ssh;

import dev.bosun.server.fleet.ssh.SshException.Reason;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;

/** Turns what MINA and the JDK throw while connecting into one clear {@link SshException}. */
final class ConnectFailures {
  private ConnectFailures() {}

  /** The TCP connection to {@code target} failed. */
  static SshException connectFailed(SshTarget target, Throwable failure) {
    String address = target.address();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return new SshException(
            Reason.UNREACHABLE,
            "nothing is listening on "
                + address
                + " (connection refused); check the address and port, and that sshd runs there",
            failure);
      }
      if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
        return new SshException(
            Reason.UNREACHABLE,
            "the host name " + target.hostname() + " cannot be resolved to an address",
            failure);
      }
      if (t instanceof NoRouteToHostException) {
        return new SshException(
            Reason.UNREACHABLE,
            "there is no route to " + address + " (the host is down or the network cut off)",
            failure);
      }
      if (t instanceof SocketTimeoutException || t instanceof InterruptedByTimeoutException) {
        return timedOut(target, "accept a connection");
      }
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SocketException) {
        return new SshException(
            Reason.UNREACHABLE,
            "cannot connect to " + address + " (" + describe(failure) + ")",
            failure);
      }
    }
    // Connected, then closed before the SSH session was set up.
    return closedDuringHandshake(target, failure);
  }

  /** {@code target} did not do {@code what} within its connect timeout. */
  static SshException timedOut(SshTarget target, String what) {
    return timedOut(
        target, what, "check that the host is up and that no firewall drops the connection");
  }

  static SshException timedOut(SshTarget target, String what, String hint) {
    return new SshException(
        Reason.TIMEOUT,
        target.address()
            + " did not "
            + what
            + " within "
            + seconds(target.connectTimeout())
            + "; "
            + hint);
  }

  /** The TCP connection was accepted but no SSH handshake followed in time. */
  static SshException handshakeTimedOut(SshTarget target) {
    return timedOut(
        target,
        "complete the SSH handshake",
        "it accepted the connection but did not answer as an SSH server; check the port");
  }

  /** The connection was made but closed (or broke) before authentication finished. */
  static SshException closedDuringHandshake(SshTarget target, Throwable failure) {
    return new SshException(
        Reason.UNREACHABLE,
        target.address()
            + " closed the connection before the SSH handshake finished ("
            + describe(failure)
            + "); check that an SSH server listens there and accepts connections from the Bosun"
            + " server",
        failure);
  }

  static SshException authFailed(SshTarget target) {
    return new SshException(
        Reason.AUTH_FAILED,
        "the host "
            + target.address()
            + " refused the key "
            + target.identityFile()
            + " for user "
            + target.user()
            + "; add its public key to ~"
            + target.user()
            + "/.ssh/authorized_keys there, or fix the user or identity_file");
  }

  static SshException jumpFailed(SshTarget target, SshException jumpFailure) {
    return new SshException(
        Reason.JUMP_FAILED,
        "cannot use the jump host "
            + target.proxyJump().orElseThrow().address()
            + " to reach "
            + target.address()
            + ": "
            + jumpFailure.getMessage(),
        jumpFailure);
  }

  /** The jump host would not open the tunnel to {@code target}. */
  static SshException tunnelRefused(SshTarget target, Throwable failure) {
    String jump = target.proxyJump().orElseThrow().address();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SshChannelOpenException open
          && open.getReasonCode() == SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED) {
        return new SshException(
            Reason.JUMP_FAILED,
            "the jump host "
                + jump
                + " refuses to forward connections to "
                + target.address()
                + " ("
                + describe(failure)
                + "); allow it with AllowTcpForwarding in the jump host's sshd_config",
            failure);
      }
    }
    return new SshException(
        Reason.UNREACHABLE,
        "the jump host "
            + jump
            + " cannot reach "
            + target.address()
            + " ("
            + describe(failure)
            + "); check the address and port as the jump host sees them",
        failure);
  }

  static String describe(Throwable failure) {
    if (failure == null) {
      return "no reason given";
    }
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
  }

  static String seconds(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : String.format("%.1f s", millis / 1000.0);
  }
}
