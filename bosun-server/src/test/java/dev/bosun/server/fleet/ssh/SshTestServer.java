package dev.bosun.server.fleet.ssh;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * A real OpenSSH sshd on a loopback address and a free port, with its own host keys, config,
 * authorized keys and log in one directory. Started by tests, stopped (with every session process
 * it forked) by {@link #close()}. Tests that cannot start one are skipped.
 */
final class SshTestServer implements AutoCloseable {
  static final Path SSHD = Path.of("/usr/sbin/sshd");

  static {
    // No logback-test.xml in this module yet: keep MINA's DEBUG chatter out of the test output.
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.apache.sshd"))
        .setLevel(Level.WARN);
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(Level.INFO);
  }

  private final Path dir;
  private final String address;
  private final List<String> extraConfig;
  private final List<String> hostKeyTypes;
  private final List<Process> launched = new ArrayList<>();
  private int port;
  private Process process;

  private SshTestServer(
      Path dir, String address, List<String> hostKeyTypes, List<String> extraConfig) {
    this.dir = dir;
    this.address = address;
    this.hostKeyTypes = hostKeyTypes;
    this.extraConfig = extraConfig;
  }

  /** An sshd on {@code address} with an ed25519 host key, started. */
  static SshTestServer start(Path dir, String address, String... extraConfig) {
    return start(dir, address, List.of("ed25519"), extraConfig);
  }

  static SshTestServer start(
      Path dir, String address, List<String> hostKeyTypes, String... extraConfig) {
    assumeSshd();
    SshTestServer server = new SshTestServer(dir, address, hostKeyTypes, List.of(extraConfig));
    try {
      Files.createDirectories(dir);
      Files.writeString(server.authorizedKeys(), "");
      server.newHostKeys();
      server.port = freePort(address);
      server.launch();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Skips the test unless sshd is installed (installs it when running as root). */
  static void assumeSshd() {
    if (!Files.isExecutable(SSHD) && "root".equals(System.getProperty("user.name"))) {
      run(
          "apt-get",
          "-o",
          "DPkg::Lock::Timeout=120",
          "install",
          "-y",
          "-q",
          "openssh-server",
          "openssh-client");
    }
    assumeTrue(Files.isExecutable(SSHD), "OpenSSH sshd is not installed");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/ssh-keygen")), "ssh-keygen is not installed");
  }

  String address() {
    return address;
  }

  int port() {
    return port;
  }

  Path dir() {
    return dir;
  }

  SshTarget target(String user, Path key) {
    return SshTarget.of(address, port, user, key);
  }

  /** Lets {@code key}'s public half log in. */
  void authorize(Path key) {
    try {
      Files.writeString(
          authorizedKeys(), Files.readString(Path.of(key + ".pub")), StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The public host key of {@code type} as its .pub file holds it. */
  HostKey hostKey(String type) {
    try {
      String[] parts = Files.readString(dir.resolve("host_" + type + ".pub")).strip().split(" ");
      return new HostKey(parts[0] + " " + parts[1]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How many processes sshd has forked (one or two per open session). */
  long sessionProcesses() {
    return process.descendants().count();
  }

  String log() {
    try {
      return Files.readString(dir.resolve("sshd.log"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops sshd (sessions it already forked live on), makes new host keys, starts it again. */
  void restartWithNewHostKeys() {
    stopListener();
    try {
      newHostKeys();
      launch();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGKILLs sshd and every session process it forked, as if the host lost power. */
  void killAll() {
    signalAll("KILL");
  }

  /** SIGSTOPs sshd and its session processes: connections stay open but nothing answers. */
  void freezeAll() {
    signalAll("STOP");
  }

  @Override
  public void close() {
    for (Process p : launched) {
      signal(p, "CONT");
      signal(p, "KILL");
    }
  }

  private void signalAll(String signal) {
    signal(process, signal);
    if (signal.equals("KILL")) {
      waitForExit();
    }
  }

  private static void signal(Process sshd, String signal) {
    List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
    sshd.descendants().forEach(p -> command.add(Long.toString(p.pid())));
    if (sshd.isAlive()) {
      command.add(Long.toString(sshd.pid()));
    }
    if (command.size() > 2) {
      try {
        new ProcessBuilder(command).redirectErrorStream(true).start().waitFor();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void stopListener() {
    process.destroy();
    waitForExit();
  }

  private void waitForExit() {
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Path authorizedKeys() {
    return dir.resolve("authorized_keys");
  }

  private void newHostKeys() throws IOException {
    for (String type : hostKeyTypes) {
      Path key = dir.resolve("host_" + type);
      Files.deleteIfExists(key);
      Files.deleteIfExists(Path.of(key + ".pub"));
      keygen(key, type, "");
    }
  }

  private void launch() throws IOException {
    Files.createDirectories(Path.of("/run/sshd"));
    for (int attempt = 0; ; attempt++) {
      Path config = writeConfig();
      process =
          new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("sshd.log").toFile()))
              .start();
      launched.add(process);
      if (awaitListening()) {
        return;
      }
      process.destroyForcibly();
      if (attempt == 3) {
        throw new IllegalStateException("sshd did not start:\n" + log());
      }
      port = freePort(address); // someone took the port meanwhile
    }
  }

  private Path writeConfig() throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("ListenAddress " + address + ":" + port);
    for (String type : hostKeyTypes) {
      lines.add("HostKey " + dir.resolve("host_" + type));
    }
    lines.addAll(
        List.of(
            "PidFile " + dir.resolve("sshd.pid"),
            "AuthorizedKeysFile " + authorizedKeys(),
            "PermitRootLogin prohibit-password",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "UsePAM no",
            "StrictModes no",
            "UseDNS no",
            "PrintMotd no"));
    lines.addAll(extraConfig);
    Path config = dir.resolve("sshd_config");
    Files.write(config, lines, StandardCharsets.UTF_8);
    return config;
  }

  private boolean awaitListening() {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(address, port), 200);
        return true;
      } catch (IOException e) {
        sleep(50);
      }
    }
    return false;
  }

  /** Makes an unencrypted (or, with a passphrase, encrypted) key pair with ssh-keygen. */
  static Path keygen(Path file, String type, String passphrase, String... options) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "ssh-keygen",
                "-q",
                "-t",
                type,
                "-N",
                passphrase,
                "-C",
                "bosun-test",
                "-f",
                file.toString()));
    if (type.equals("rsa")) {
      command.addAll(List.of("-b", "2048"));
    }
    command.addAll(List.of(options));
    run(command.toArray(String[]::new));
    return file;
  }

  static String run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static int freePort(String address) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(address, 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
