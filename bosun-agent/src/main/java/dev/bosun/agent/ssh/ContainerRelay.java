package dev.bosun.agent.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A TCP connection made inside a container's network namespace, for ports that a server in a
 * bridge-network container serves on its own loopback only (TensorBoard, Jupyter, …), which the
 * host cannot reach at the container's address.
 *
 * <p>The host runs, with a clean environment, {@code nsenter --net=/proc/<pid>/ns/net -- bash -c
 * SCRIPT bosun-relay HOST PORT}: only the network namespace is entered, so the relay is the host's
 * own bash and cat (nothing is needed in the image). The script opens the connection with bash's
 * {@code /dev/tcp}; on success it writes {@code +} and then copies its standard input to the socket
 * and the socket to its standard output with one {@code cat} each. A failed connection ends it with
 * the error (e.g. {@code connect: Connection refused}) on its output instead of the {@code +}.
 *
 * <p>The relay ends when the server closes the connection, and is ended by {@link #close} (SIGTERM,
 * which the script passes to its two {@code cat}s; SIGKILL after a grace period). Its standard
 * input ending (the client's EOF) stops the copying towards the server, but the socket cannot be
 * half-closed from a shell: the server sees the end only when the connection closes, which
 * request/response protocols such as HTTP/1.1 and WebSocket do not need.
 */
final class ContainerRelay implements AutoCloseable {
  /** The connection's first byte of output when it is open. */
  private static final int CONNECTED = '+';

  private static final long KILL_GRACE_MS = 1000;
  private static final int MAX_ERROR_BYTES = 4096;

  /** {@code $1} host, {@code $2} port; {@code $0} names the relay in its error messages. */
  static final String SCRIPT =
      """
      exec 3<>"/dev/tcp/$1/$2" || exit 1
      exec 2>/dev/null 4<&0 0</dev/null
      printf +
      trap 'kill $in $out; wait; exit 143' TERM
      cat <&4 >&3 & in=$!
      cat <&3 4<&- & out=$!
      wait $out
      kill $in
      wait
      """;

  private final Process process;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ContainerRelay(Process process) {
    this.process = process;
  }

  /**
   * The host's command line of a relay to {@code host:port} in the namespace of process {@code
   * pid}.
   */
  static List<String> command(long pid, String host, int port) throws JobUnavailableException {
    return List.of(
        HostTools.require("nsenter", "util-linux").toString(),
        "--net=/proc/" + pid + "/ns/net",
        "--",
        HostTools.require("bash", "bash").toString(),
        "-c",
        SCRIPT,
        "bosun-relay",
        host,
        Integer.toString(port));
  }

  /**
   * Connects to {@code host:port} in the network namespace of process {@code pid}.
   *
   * @throws ConnectException when the connection is refused, or does not open within {@code
   *     timeout}, with the reason as its message
   * @throws IOException when the relay cannot start
   */
  static ContainerRelay connect(long pid, String host, int port, Duration timeout)
      throws IOException, JobUnavailableException {
    ProcessBuilder builder =
        new ProcessBuilder(command(pid, host, port))
            .directory(new java.io.File("/"))
            // nsenter's and bash's errors before the connection opens become the reason
            .redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().put("PATH", Launch.HOST_PATH);
    Process process = builder.start();
    ContainerRelay relay = new ContainerRelay(process);
    CompletableFuture<Void> watchdog =
        CompletableFuture.runAsync(
            relay::close,
            CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS));
    int first;
    try {
      first = process.getInputStream().read();
    } catch (IOException e) {
      relay.close();
      throw e;
    } finally {
      watchdog.cancel(false);
    }
    if (first == CONNECTED && !relay.closed.get()) {
      return relay;
    }
    String reason =
        relay.closed.get()
            ? "no answer within " + timeout.toSeconds() + " s"
            : error(first, process);
    relay.close();
    throw new ConnectException(reason);
  }

  /** What the relay said instead of {@code +}: its first line, less the relay's name. */
  private static String error(int first, Process process) {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    if (first >= 0) {
      text.write(first);
      try {
        text.write(process.getInputStream().readNBytes(MAX_ERROR_BYTES));
      } catch (IOException e) {
        // what was read is the reason
      }
    }
    String line =
        text.toString(StandardCharsets.UTF_8)
            .lines()
            .filter(l -> !l.isBlank())
            .findFirst()
            .orElse("");
    line = line.replaceFirst("^bosun-relay: ", "").replaceFirst("^connect: ", "").strip();
    if (!line.isEmpty()) {
      return line;
    }
    try {
      return "the relay ended with status " + process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "the relay ended";
    }
  }

  /** What the server sends. */
  InputStream fromServer() {
    return process.getInputStream();
  }

  /** What goes to the server; closing it stops the copying towards it. */
  OutputStream toServer() {
    return process.getOutputStream();
  }

  /** The relay's process on the host (bash), whose children copy the data. */
  long pid() {
    return process.pid();
  }

  /** Ends the relay and the connection (idempotent, does not wait). */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    List<ProcessHandle> tree =
        Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
    // no closing of its input here: that could wait for a writer blocked on a full pipe
    if (tree.stream().noneMatch(ProcessHandle::isAlive)) {
      return;
    }
    // the relay's trap ends both cats, and each is told too in case the relay is already gone
    tree.forEach(ProcessHandle::destroy);
    CompletableFuture.runAsync(
        () -> tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly),
        CompletableFuture.delayedExecutor(KILL_GRACE_MS, TimeUnit.MILLISECONDS));
  }
}
