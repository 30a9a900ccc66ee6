package dev.bosun.server.fleet.ssh;

import dev.bosun.server.fleet.ssh.SshException.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An authenticated SSH connection to one host, made by {@link SshConnector}: runs commands, uploads
 * files, forwards ports. It is safe to use from several threads at once (each call is its own SSH
 * channel) and blocks the caller: use virtual threads. When the host stops answering, heartbeats
 * close it and the {@link #onClosed(Runnable) listeners} run.
 */
public final class SshSession implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SshSession.class);
  private static final Map<String, Integer> SIGNALS =
      Map.ofEntries(
          Map.entry("HUP", 1),
          Map.entry("INT", 2),
          Map.entry("QUIT", 3),
          Map.entry("ILL", 4),
          Map.entry("ABRT", 6),
          Map.entry("FPE", 8),
          Map.entry("KILL", 9),
          Map.entry("USR1", 10),
          Map.entry("SEGV", 11),
          Map.entry("USR2", 12),
          Map.entry("PIPE", 13),
          Map.entry("ALRM", 14),
          Map.entry("TERM", 15));

  /**
   * Commands at once on one session: OpenSSH refuses more than MaxSessions (10 by default) session
   * channels per connection, so further commands wait for a free one instead of failing.
   */
  static final int MAX_CONCURRENT_COMMANDS = 8;

  private final Semaphore commandSlots = new Semaphore(MAX_CONCURRENT_COMMANDS, true);
  private final SshTarget target;
  private final ClientSession session;
  private final HostKey hostKey;
  private final SshSession jump;
  private final SshClient client;

  SshSession(
      SshTarget target, ClientSession session, HostKey hostKey, SshSession jump, SshClient client) {
    this.target = target;
    this.session = session;
    this.hostKey = hostKey;
    this.jump = jump;
    this.client = client;
    if (jump != null) {
      // Each end takes the other down: the target's session runs inside the jump's.
      session.addCloseFutureListener(closed -> jump.close());
      jump.session.addCloseFutureListener(closed -> session.close(true));
    }
    session.addCloseFutureListener(closed -> LOG.debug("SSH session to {} closed", target));
  }

  public SshTarget target() {
    return target;
  }

  /** The key the host presented (and the policy accepted). */
  public HostKey hostKey() {
    return hostKey;
  }

  public boolean isOpen() {
    return session.isOpen() && session.isAuthenticated();
  }

  /**
   * Runs {@code listener} (on a new virtual thread) once this session has closed, for whatever
   * reason: {@link #close()}, the host closing it, or missed heartbeats. Runs it at once if the
   * session is already closed.
   */
  public void onClosed(Runnable listener) {
    Objects.requireNonNull(listener, "listener is null");
    session.addCloseFutureListener(closed -> Thread.ofVirtual().name("ssh-closed").start(listener));
  }

  /** Runs {@code command} with no input; see {@link #exec(String, InputStream, Duration)}. */
  public ExecResult exec(String command, Duration timeout) {
    return exec(command, InputStream.nullInputStream(), timeout);
  }

  /** Runs {@code command} with {@code stdin} as its input. */
  public ExecResult exec(String command, byte[] stdin, Duration timeout) {
    return exec(command, new ByteArrayInputStream(stdin), timeout);
  }

  /**
   * Runs {@code command} through the user's login shell on the host, feeding it {@code stdin} to
   * its end, and waits for it to exit. A non-zero exit status is a result, not an error. Output is
   * kept in memory: meant for short outputs. Throws {@link SshException}: COMMAND_TIMEOUT when it
   * did not finish within {@code timeout} (the channel is closed; the remote process gets no more
   * input and loses its output), DISCONNECTED when the session ended first.
   */
  public ExecResult exec(String command, InputStream stdin, Duration timeout) {
    Objects.requireNonNull(command, "command is null");
    Objects.requireNonNull(stdin, "stdin is null");
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      if (!commandSlots.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw timedOut(command, timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SshException(
          Reason.COMMAND_FAILED, "interrupted before running `" + abbreviate(command) + "`", e);
    }
    try {
      return run(command, stdin, timeout, deadline);
    } finally {
      commandSlots.release();
    }
  }

  private ExecResult run(String command, InputStream stdin, Duration timeout, long deadline) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    AtomicBoolean timedOut = new AtomicBoolean();
    ChannelExec channel;
    try {
      channel = session.createExecChannel(command);
    } catch (IOException | RuntimeException e) {
      throw failure(command, e);
    }
    ScheduledFuture<?> guard =
        client
            .getScheduledExecutorService()
            .schedule(
                () -> {
                  timedOut.set(true);
                  channel.close(true);
                },
                Math.max(0, deadline - System.nanoTime()),
                TimeUnit.NANOSECONDS);
    try {
      channel.setOut(out);
      channel.setErr(err);
      channel.open().verify(remaining(deadline));
      try (OutputStream in = channel.getInvertedIn()) {
        stdin.transferTo(in);
      } catch (IOException e) {
        // The command stopped reading (or exited) before taking all its input: its exit tells.
        LOG.debug("{}: input to `{}` cut short: {}", target, abbreviate(command), e.toString());
      }
      channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), remaining(deadline) + 1000);
    } catch (IOException | RuntimeException e) {
      channel.close(true);
      if (!timedOut.get()) {
        throw failure(command, e);
      }
    } finally {
      guard.cancel(false);
    }
    if (timedOut.get()) {
      throw timedOut(command, timeout);
    }
    return result(command, channel, out, err);
  }

  private SshException timedOut(String command, Duration timeout) {
    return new SshException(
        Reason.COMMAND_TIMEOUT,
        "the command `"
            + abbreviate(command)
            + "` on "
            + target.address()
            + " did not finish within "
            + ConnectFailures.seconds(timeout));
  }

  private ExecResult result(
      String command, ChannelExec channel, ByteArrayOutputStream out, ByteArrayOutputStream err) {
    Integer status = channel.getExitStatus();
    if (status == null && channel.getExitSignal() != null) {
      status = 128 + SIGNALS.getOrDefault(channel.getExitSignal(), -129);
    }
    if (status == null) {
      throw failure(command, null);
    }
    return new ExecResult(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private SshException failure(String command, Throwable cause) {
    if (!isOpen()) {
      return new SshException(
          Reason.DISCONNECTED,
          "the connection to "
              + target.address()
              + " closed while running `"
              + abbreviate(command)
              + "`",
          cause);
    }
    return new SshException(
        Reason.COMMAND_FAILED,
        "the command `"
            + abbreviate(command)
            + "` on "
            + target.address()
            + " could not start or ended without an exit status ("
            + ConnectFailures.describe(cause)
            + ")",
        cause);
  }

  /** Uploads with a timeout of 5 minutes plus one second per megabyte. */
  public void upload(Path local, String remotePath, int mode) {
    long megabytes;
    try {
      megabytes = Files.size(local) >> 20;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + local, e);
    }
    upload(local, remotePath, mode, Duration.ofMinutes(5).plusSeconds(megabytes));
  }

  /**
   * Copies the local file to {@code remotePath} on the host with permissions {@code mode} (e.g.
   * {@code 0755}), creating its directory. The file appears whole or not at all (written next to
   * it, then renamed). Throws {@link SshException} COMMAND_FAILED with the host's error (e.g. no
   * space left) when the copy fails there.
   */
  public void upload(Path local, String remotePath, int mode, Duration timeout) {
    String destination = Shell.quote(remotePath);
    String part = Shell.quote(remotePath + ".bosun-part");
    String command =
        "set -e; mkdir -p -- \"$(dirname -- "
            + destination
            + ")\"; cat > "
            + part
            + " || { rm -f -- "
            + part
            + "; exit 1; }; chmod "
            + Integer.toOctalString(mode)
            + " "
            + part
            + "; mv -f -- "
            + part
            + " "
            + destination;
    ExecResult result;
    try (InputStream in = Files.newInputStream(local)) {
      result = exec(command, in, timeout);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + local, e);
    }
    if (!result.succeeded()) {
      throw new SshException(
          Reason.COMMAND_FAILED,
          "cannot upload "
              + local.getFileName()
              + " to "
              + target.address()
              + ":"
              + remotePath
              + " ("
              + firstLine(result.stderr(), "exit status " + result.exitStatus())
              + ")");
    }
  }

  /**
   * Forwards a new ephemeral port on 127.0.0.1 here to 127.0.0.1:{@code remotePort} on the host
   * (where the agent listens on loopback only).
   */
  public LocalForward forward(int remotePort) {
    try {
      return new LocalForward(
          session.createLocalPortForwardingTracker(
              new SshdSocketAddress(SshdSocketAddress.LOCALHOST_IPV4, 0),
              new SshdSocketAddress(SshdSocketAddress.LOCALHOST_IPV4, remotePort)),
          remotePort);
    } catch (IOException | RuntimeException e) {
      throw new SshException(
          isOpen() ? Reason.FORWARD_FAILED : Reason.DISCONNECTED,
          "cannot forward a local port to port "
              + remotePort
              + " on "
              + target.address()
              + " ("
              + ConnectFailures.describe(e)
              + ")",
          e);
    }
  }

  ClientSession clientSession() {
    return session;
  }

  @Override
  public void close() {
    session.close(true);
    if (jump != null) {
      jump.close();
    }
  }

  @Override
  public String toString() {
    return "SSH session to " + target + (isOpen() ? "" : " (closed)");
  }

  private static long remaining(long deadline) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
  }

  private static String abbreviate(String command) {
    String line = command.strip().replaceAll("\\s+", " ");
    return line.length() <= 80 ? line : line.substring(0, 77) + "...";
  }

  private static String firstLine(String text, String otherwise) {
    String stripped = text.strip();
    return stripped.isEmpty() ? otherwise : stripped.lines().findFirst().orElse(otherwise);
  }
}
