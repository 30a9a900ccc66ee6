package dev.bosun.agent.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.Signal;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exec or shell request: starts the {@link Launch} process and copies the channel's data to its
 * stdin and its stdout and stderr back (one platform thread each), sends its exit status once its
 * output is copied, and ends the process and what it started when the channel closes (SIGTERM,
 * SIGKILL after {@link #KILL_GRACE_MS}). Processes that detached themselves (e.g. {@code nohup …
 * &}) are no longer descendants and keep running, as with OpenSSH.
 */
final class SessionProcess implements Command {
  private static final Logger LOG = LoggerFactory.getLogger(SessionProcess.class);
  private static final long OUTPUT_GRACE_MS = 2000;
  private static final long KILL_GRACE_MS = 1000;

  private final JobSessions sessions;
  private final String command;
  private InputStream in;
  private OutputStream out;
  private OutputStream err;
  private ExitCallback exit;
  private volatile Process process;
  private volatile String ptyDevice;
  private final AtomicBoolean ended = new AtomicBoolean();

  /** {@code command} null for an interactive shell. */
  SessionProcess(JobSessions sessions, String command) {
    this.sessions = sessions;
    this.command = command;
  }

  @Override
  public void setInputStream(InputStream in) {
    this.in = in;
  }

  @Override
  public void setOutputStream(OutputStream out) {
    this.out = out;
  }

  @Override
  public void setErrorStream(OutputStream err) {
    this.err = err;
  }

  @Override
  public void setExitCallback(ExitCallback callback) {
    this.exit = callback;
  }

  @Override
  public void start(ChannelSession channel, Environment env) throws IOException {
    String jobId = channel.getSession().getUsername();
    Launch launch;
    try {
      launch = sessions.launch(channel.getServerSession(), command, env);
    } catch (JobUnavailableException e) {
      LOG.info("job {}: SSH {} refused: {}", jobId, what(), e.getMessage());
      fail(e.getMessage());
      return;
    }
    ProcessBuilder builder =
        new ProcessBuilder(launch.command())
            .directory(launch.directory().toFile())
            .redirectErrorStream(launch.pty() != null);
    builder.environment().clear();
    builder.environment().putAll(launch.env());
    Process started;
    try {
      started = builder.start();
    } catch (IOException e) {
      LOG.warn("job {}: cannot start the SSH {}: {}", jobId, what(), e.getMessage());
      fail("cannot start " + launch.command().getFirst() + ": " + e.getMessage());
      return;
    }
    process = started;
    LOG.debug("job {}: SSH {} runs as pid {}", jobId, what(), started.pid());
    if (launch.pty() != null) {
      env.addSignalListener((ch, signal) -> resize(env), Signal.WINCH);
    }
    thread("ssh-in-" + jobId, () -> copyInput(started));
    Thread stdout = thread("ssh-out-" + jobId, () -> copy(started.getInputStream(), out));
    Thread stderr =
        launch.pty() != null
            ? null
            : thread("ssh-err-" + jobId, () -> copy(started.getErrorStream(), err));
    thread("ssh-wait-" + jobId, () -> awaitExit(started, stdout, stderr));
  }

  private String what() {
    return command == null ? "shell" : "command";
  }

  private void awaitExit(Process started, Thread stdout, Thread stderr) {
    try {
      int status = started.waitFor();
      // output still held open by a background process ends the session after a grace period
      stdout.join(OUTPUT_GRACE_MS);
      if (stderr != null) {
        stderr.join(OUTPUT_GRACE_MS);
      }
      finish(status, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void copyInput(Process started) {
    try (OutputStream stdin = started.getOutputStream()) {
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        stdin.write(buffer, 0, n);
        stdin.flush();
      }
    } catch (IOException e) {
      LOG.trace("SSH input ended: {}", e.toString());
    }
  }

  private static void copy(InputStream from, OutputStream to) {
    byte[] buffer = new byte[8192];
    try (from) {
      int n;
      while ((n = from.read(buffer)) >= 0) {
        to.write(buffer, 0, n);
        to.flush();
      }
    } catch (IOException e) {
      LOG.trace("SSH output ended: {}", e.toString());
    }
  }

  private void fail(String message) {
    thread(
        "ssh-fail",
        () -> {
          try {
            err.write(("bosun-agent: " + message + "\n").getBytes(StandardCharsets.UTF_8));
            err.flush();
          } catch (IOException e) {
            LOG.trace("cannot tell the client: {}", e.toString());
          }
          finish(255, message);
        });
  }

  private void finish(int status, String message) {
    if (ended.compareAndSet(false, true)) {
      if (message == null) {
        exit.onExit(status);
      } else {
        exit.onExit(status, message);
      }
    }
  }

  /** A {@code window-change}: the new size goes to the session's terminal. */
  private void resize(Environment env) {
    Process started = process;
    if (started == null || !started.isAlive()) {
      return;
    }
    int columns = Launch.number(env.getEnv().get(Environment.ENV_COLUMNS));
    int rows = Launch.number(env.getEnv().get(Environment.ENV_LINES));
    Optional<Path> stty = HostTools.find("stty");
    String device = ptyDevice(started);
    if (columns <= 0 || rows <= 0 || stty.isEmpty() || device == null) {
      return;
    }
    try {
      Process resize =
          new ProcessBuilder(
                  stty.get().toString(),
                  "-F",
                  device,
                  "rows",
                  Integer.toString(rows),
                  "cols",
                  Integer.toString(columns))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      resize.waitFor(2, TimeUnit.SECONDS);
    } catch (IOException e) {
      LOG.debug("cannot resize {}: {}", device, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The terminal {@code script} made: the standard input of its child. */
  private String ptyDevice(Process script) {
    if (ptyDevice == null) {
      ptyDevice =
          script
              .children()
              .findFirst()
              .map(
                  child -> {
                    try {
                      return Files.readSymbolicLink(Path.of("/proc", child.pid() + "", "fd", "0"))
                          .toString();
                    } catch (IOException e) {
                      return null;
                    }
                  })
              .filter(device -> device.startsWith("/dev/pts/"))
              .orElse(null);
    }
    return ptyDevice;
  }

  @Override
  public void destroy(ChannelSession channel) {
    Process started = process;
    if (started == null) {
      return;
    }
    List<ProcessHandle> tree =
        Stream.concat(started.descendants(), Stream.of(started.toHandle())).toList();
    if (tree.stream().noneMatch(ProcessHandle::isAlive)) {
      return;
    }
    tree.forEach(ProcessHandle::destroy);
    thread(
        "ssh-kill",
        () -> {
          try {
            Thread.sleep(KILL_GRACE_MS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        });
  }

  private static Thread thread(String name, Runnable task) {
    return Thread.ofPlatform().name(name).daemon().start(task);
  }
}
