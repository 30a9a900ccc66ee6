package dev.bosun.agent;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real OpenSSH client ({@code ssh}, {@code sftp}, {@code scp}, {@code ssh-keygen}) against a
 * {@link dev.bosun.agent.ssh.JobSshServer} on loopback, with keys made in a test directory and no
 * user configuration, known hosts or agent.
 */
final class OpenSsh {
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** What a client run did. */
  record Result(int exit, String out, String err, Duration took) {
    @Override
    public String toString() {
      return "exit " + exit + " after " + took.toMillis() + " ms, out: " + out + ", err: " + err;
    }
  }

  final Path dir;
  final int port;

  /** The key the tests authorize. */
  final Path key;

  /** A key no job has. */
  final Path otherKey;

  private OpenSsh(Path dir, int port) {
    this.dir = dir;
    this.port = port;
    this.key = dir.resolve("id_user");
    this.otherKey = dir.resolve("id_other");
  }

  /** Skips the calling test where the OpenSSH client is not installed. */
  static OpenSsh create(Path dir, int port) {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/ssh")), "the OpenSSH client is not installed");
    OpenSsh ssh = new OpenSsh(dir, port);
    for (Path key : List.of(ssh.key, ssh.otherKey)) {
      Result made =
          run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()), "");
      if (made.exit() != 0) {
        throw new IllegalStateException("ssh-keygen failed: " + made);
      }
    }
    return ssh;
  }

  static String publicKey(Path key) {
    try {
      return Files.readString(Path.of(key + ".pub")).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<String> options(Path identity) {
    return options(identity, null);
  }

  /** With {@code knownHosts} the host key must be in it; without, any host key is taken. */
  List<String> options(Path identity, Path knownHosts) {
    return List.of(
        "-F",
        "/dev/null",
        "-o",
        knownHosts == null ? "StrictHostKeyChecking=no" : "StrictHostKeyChecking=yes",
        "-o",
        "UserKnownHostsFile=" + (knownHosts == null ? "/dev/null" : knownHosts.toString()),
        "-o",
        "IdentitiesOnly=yes",
        "-o",
        "IdentityAgent=none",
        "-o",
        "BatchMode=yes",
        "-o",
        "LogLevel=ERROR",
        "-o",
        "ConnectTimeout=10",
        "-i",
        identity.toString());
  }

  /** {@code ssh [extra] -p PORT job@127.0.0.1 [remote]}. */
  List<String> sshCommand(String job, Path identity, List<String> extra, String... remote) {
    List<String> command = new ArrayList<>(List.of("ssh"));
    command.addAll(options(identity));
    command.addAll(extra);
    command.addAll(List.of("-p", Integer.toString(port), job + "@127.0.0.1"));
    command.addAll(List.of(remote));
    return command;
  }

  Result ssh(String job, String... remote) {
    return run(sshCommand(job, key, List.of(), remote), "");
  }

  /** {@code sftp -b batch} with the test key. */
  Result sftp(String job, String batch) throws IOException {
    Path file = Files.createTempFile(dir, "batch", ".txt");
    Files.writeString(file, batch);
    List<String> command = new ArrayList<>(List.of("sftp"));
    command.addAll(options(key));
    command.addAll(
        List.of("-P", Integer.toString(port), "-b", file.toString(), job + "@127.0.0.1"));
    return run(command, "");
  }

  /** {@code scp -P PORT from to} with the test key; remote paths are {@code job@127.0.0.1:path}. */
  Result scp(String from, String to) {
    List<String> command = new ArrayList<>(List.of("scp"));
    command.addAll(options(key));
    command.addAll(List.of("-P", Integer.toString(port), from, to));
    return run(command, "");
  }

  static Result run(List<String> command, String stdin) {
    return run(command, stdin, TIMEOUT);
  }

  static Result run(List<String> command, String stdin, Duration timeout) {
    long started = System.nanoTime();
    try {
      Process process = new ProcessBuilder(command).start();
      CompletableFuture<String> out = drain(process.getInputStream());
      CompletableFuture<String> err = drain(process.getErrorStream());
      try (var in = process.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // the command may not read its input
      }
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor();
        throw new AssertionError(
            String.join(" ", command)
                + " did not end in "
                + timeout
                + "; output: "
                + out.getNow(""));
      }
      return new Result(
          process.exitValue(),
          out.get(5, TimeUnit.SECONDS),
          err.get(5, TimeUnit.SECONDS),
          Duration.ofNanos(System.nanoTime() - started));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException(e);
    }
  }

  /** Starts a command in the background; its output goes to {@code log}. */
  static Process background(List<String> command, Path log) {
    try {
      return new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .redirectInput(ProcessBuilder.Redirect.PIPE)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static CompletableFuture<String> drain(java.io.InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            return "";
          }
        },
        runnable -> Thread.ofPlatform().daemon().start(runnable));
  }

  /** A port nothing listens on now (another process may take it before it is used). */
  static int freePort() {
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The body {@code GET http://127.0.0.1:PORT/} answers once it equals {@code expected}. */
  static String awaitBody(int port, String expected) {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    return org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(
            () ->
                http.send(
                        java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://127.0.0.1:" + port + "/"))
                            .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                    .body(),
            expected::equals);
  }
}
