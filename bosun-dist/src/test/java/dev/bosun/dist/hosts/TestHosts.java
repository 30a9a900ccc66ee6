package dev.bosun.dist.hosts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * N throw-away SSH hosts for the SSH-fleet tests: a thin Java face of {@code
 * scripts/test-hosts.sh}.
 *
 * <p>Each host is a network namespace on a private bridge ({@code 10.77.0.1/24}; host i at {@code
 * 10.77.0.(10+i)}) with its own hostname ({@code bosun-t-h<i>}), PID and mount namespace and a real
 * OpenSSH sshd on port 22. Users {@code root}, {@code bosun-test} (passwordless sudo) and {@code
 * bosun-nosudo} log in with {@link #privateKey()}; host keys are in {@link #knownHosts()}. GPUs
 * come from an {@code nvidia-smi} stand-in (default: host 1 8×H100 80GB, host 2 4×A100 40GB, host 3
 * none). See the top of the script for what a host looks like from inside.
 *
 * <pre>{@code
 * try (TestHosts hosts = TestHosts.builder().hosts(3).start()) {   // skips the test when not root
 *   TestHosts.Host h1 = hosts.host(1);
 *   hosts.ssh(1, "nvidia-smi -L").out();
 *   hosts.cut(2); ... hosts.restore(2);
 * }                                                                  // down: nothing left behind
 * }</pre>
 *
 * <p>{@link Builder#start()} skips the calling test (JUnit assumption) when this machine cannot run
 * test hosts (not root, no {@code ip netns}, no namespaces), and fails it on any other error. One
 * {@code TestHosts} per prefix and subnet at a time; two at once need different {@link
 * Builder#prefix} and {@link Builder#subnet}.
 */
public final class TestHosts implements AutoCloseable {
  /** The script's exit status when this machine cannot run test hosts (not root, no netns). */
  static final int EXIT_UNSUPPORTED = 3;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One host, as {@code STATE/hosts.json} describes it; paths are on this machine. */
  public record Host(
      int index,
      String name,
      String ip,
      int port,
      String netns,
      String veth,
      Path dir,
      Path rootfs,
      Path agentDir,
      Path rootHome,
      Path userHome,
      Path tmp,
      String gpus,
      int gpuCount,
      String gpuName,
      int gpuMemoryMib,
      String java,
      long sshdPid,
      Path sshdLog) {

    /** {@code user@ip}. */
    public String address(String user) {
      return user + "@" + ip;
    }
  }

  /** What a command printed and its exit status (255: ssh itself failed, e.g. timed out). */
  public record Result(int exitCode, String out, String err) {
    public boolean ok() {
      return exitCode == 0;
    }

    /** stdout split into non-empty lines. */
    public List<String> lines() {
      return out.lines().filter(l -> !l.isBlank()).toList();
    }

    @Override
    public String toString() {
      return "exit " + exitCode + ", stdout: " + out.strip() + ", stderr: " + err.strip();
    }
  }

  private final Path script;
  private final String prefix;
  private final Path state;
  private final JsonNode json;
  private final List<Host> hosts;
  private final Duration upTime;
  private final Thread shutdownHook;
  private boolean closed;

  private TestHosts(Path script, String prefix, Path state, JsonNode json, Duration upTime) {
    this.script = script;
    this.prefix = prefix;
    this.state = state;
    this.json = json;
    this.upTime = upTime;
    List<Host> list = new ArrayList<>();
    for (JsonNode h : json.get("hosts")) {
      list.add(
          new Host(
              h.get("index").asInt(),
              h.get("name").asText(),
              h.get("ip").asText(),
              h.get("port").asInt(),
              h.get("netns").asText(),
              h.get("veth").asText(),
              Path.of(h.get("dir").asText()),
              Path.of(h.get("rootfs").asText()),
              Path.of(h.get("agent_dir").asText()),
              Path.of(h.get("root_home").asText()),
              Path.of(h.get("user_home").asText()),
              Path.of(h.get("tmp").asText()),
              h.get("gpus").asText(),
              h.get("gpu_count").asInt(),
              h.get("gpu_name").asText(),
              h.get("gpu_memory_mib").asInt(),
              h.get("java").asText(),
              h.get("sshd_pid").asLong(),
              Path.of(h.get("sshd_log").asText())));
    }
    this.hosts = List.copyOf(list);
    this.shutdownHook = new Thread(this::downQuietly, "test-hosts-down");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code n} hosts with the default GPUs (8×H100, 4×A100, none, none...) and Java ≥ 21. */
  public static TestHosts start(int n) {
    return builder().hosts(n).start();
  }

  /** Options of {@code scripts/test-hosts.sh up}; see its header for the formats. */
  public static final class Builder {
    private int hosts = 3;
    private String prefix = "bosun-t";
    private String subnet = null;
    private String gpus = null;
    private String java = null;
    private Path state = null;
    private boolean check = true;
    private Duration timeout = Duration.ofMinutes(5); // a first run may apt-get install openssh

    private Builder() {}

    public Builder hosts(int n) {
      this.hosts = n;
      return this;
    }

    /** Names: netns/hostname PREFIX-h<i>, bridge PREFIX-br, veth PREFIX-v<i>; at most 10 chars. */
    public Builder prefix(String prefix) {
      this.prefix = prefix;
      return this;
    }

    /** Three octets, e.g. {@code 10.77.0} (the default). */
    public Builder subnet(String subnet) {
      this.subnet = subnet;
      return this;
    }

    /** Per host, comma-separated: {@code none} or {@code <count>x<model>[:<MiB>]}. */
    public Builder gpus(String spec) {
      this.gpus = spec;
      return this;
    }

    /**
     * Per host, comma-separated: {@code jdk} (Java ≥ 21 as `java`), {@code system}, {@code none}.
     */
    public Builder java(String spec) {
      this.java = spec;
      return this;
    }

    /** State directory (default {@code /tmp/<prefix>}). */
    public Builder state(Path dir) {
      this.state = dir;
      return this;
    }

    /** Whether {@code up} logs in to every host once before returning (default true). */
    public Builder check(boolean check) {
      this.check = check;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /**
     * Runs {@code test-hosts.sh up}. Skips the calling test when the machine cannot run test hosts.
     */
    public TestHosts start() {
      assumeSupported();
      Path script = script();
      List<String> command = new ArrayList<>(List.of("bash", script.toString(), "up"));
      command.add(Integer.toString(hosts));
      command.addAll(List.of("--prefix", prefix));
      command.addAll(List.of("--owner-pid", Long.toString(ProcessHandle.current().pid())));
      if (subnet != null) command.addAll(List.of("--subnet", subnet));
      if (gpus != null) command.addAll(List.of("--gpus", gpus));
      if (java != null) command.addAll(List.of("--java", java));
      if (state != null) command.addAll(List.of("--state", state.toString()));
      if (!check) command.add("--no-check");
      long t0 = System.nanoTime();
      Result up = run(command, timeout);
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      Assumptions.assumeFalse(
          up.exitCode() == EXIT_UNSUPPORTED, () -> "test hosts unavailable: " + up.err().strip());
      if (!up.ok()) {
        throw new IllegalStateException(
            "scripts/test-hosts.sh up "
                + hosts
                + " failed (exit "
                + up.exitCode()
                + "):\n"
                + up.err());
      }
      Path stateDir = null;
      for (String line : up.lines()) {
        if (line.startsWith("state ")) stateDir = Path.of(line.substring("state ".length()));
      }
      if (stateDir == null)
        throw new IllegalStateException("no 'state' line from up:\n" + up.out());
      try {
        JsonNode json = JSON.readTree(stateDir.resolve("hosts.json").toFile());
        return new TestHosts(script, prefix, stateDir, json, took);
      } catch (IOException e) {
        run(List.of("bash", script.toString(), "down", "--prefix", prefix), Duration.ofMinutes(1));
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * Skips the calling test (JUnit assumption) unless this machine can run test hosts: root, a
   * working {@code ip netns} and namespaces.
   */
  public static void assumeSupported() {
    Assumptions.assumeTrue(
        isRoot(), "test hosts need root (network namespaces, a bridge, sshd on port 22)");
    Result ipNetns;
    try {
      ipNetns = run(List.of("ip", "netns", "list"), Duration.ofSeconds(20));
    } catch (UncheckedIOException e) {
      ipNetns = new Result(127, "", String.valueOf(e.getCause().getMessage()));
    }
    Result finalIpNetns = ipNetns;
    Assumptions.assumeTrue(
        ipNetns.ok(), () -> "test hosts need 'ip netns' (iproute2): " + finalIpNetns.err().strip());
    Result check = run(List.of("bash", script().toString(), "check"), Duration.ofSeconds(20));
    Assumptions.assumeTrue(
        check.ok(), () -> "test hosts unavailable: " + check.out().strip() + check.err().strip());
  }

  private static boolean isRoot() {
    try {
      return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    } catch (Throwable e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  /**
   * The script: system property {@code bosun.testHosts.script}, else {@code
   * ../scripts/test-hosts.sh} (from the bosun-dist module, where Maven runs the tests) or {@code
   * scripts/test-hosts.sh} (from the repository root).
   */
  public static Path script() {
    String configured = System.getProperty("bosun.testHosts.script");
    List<Path> candidates =
        configured != null
            ? List.of(Path.of(configured))
            : List.of(Path.of("../scripts/test-hosts.sh"), Path.of("scripts/test-hosts.sh"));
    for (Path p : candidates) {
      if (Files.isRegularFile(p)) return p.toAbsolutePath().normalize();
    }
    throw new IllegalStateException(
        "scripts/test-hosts.sh not found from " + Path.of("").toAbsolutePath() + ": " + candidates);
  }

  public List<Host> hosts() {
    return hosts;
  }

  /** Host {@code index}, 1-based like the names and IPs. */
  public Host host(int index) {
    if (index < 1 || index > hosts.size()) {
      throw new IllegalArgumentException("no host " + index + " (1.." + hosts.size() + ")");
    }
    return hosts.get(index - 1);
  }

  public String prefix() {
    return prefix;
  }

  public Path stateDir() {
    return state;
  }

  /**
   * ed25519 client key without passphrase, accepted for root, {@link #user()}, {@link
   * #noSudoUser()}.
   */
  public Path privateKey() {
    return Path.of(json.get("key").asText());
  }

  /** The same, as ECDSA P-256 (for clients without ed25519 support). */
  public Path ecdsaKey() {
    return Path.of(json.get("key_ecdsa").asText());
  }

  public Path publicKey() {
    return Path.of(json.get("public_key").asText());
  }

  /** {@code IP,NAME TYPE KEY} lines (ed25519 and ECDSA) for every host. */
  public Path knownHosts() {
    return Path.of(json.get("known_hosts").asText());
  }

  /** The one authorized_keys file every host and user reads; see {@link #authorize(Path)}. */
  public Path authorizedKeys() {
    return Path.of(json.get("authorized_keys").asText());
  }

  /** {@code bosun-test}: bash, passwordless sudo. */
  public String user() {
    return json.get("user").asText();
  }

  /** {@code bosun-nosudo}: bash, no sudo. */
  public String noSudoUser() {
    return json.get("nosudo_user").asText();
  }

  /** This machine's address on the hosts' bridge (hosts reach nothing else). */
  public String bridgeIp() {
    return json.get("bridge_ip").asText();
  }

  public String bridge() {
    return json.get("bridge").asText();
  }

  /** The JDK behind {@code java} on "jdk" hosts, or null. */
  public Path javaHome() {
    String home = json.get("java_home").asText();
    return home.isEmpty() ? null : Path.of(home);
  }

  /** Wall time of {@code up}, measured here. */
  public Duration upTime() {
    return upTime;
  }

  /** Wall time of {@code up} as the script measured it. */
  public Duration scriptUpTime() {
    return Duration.ofMillis(json.get("up_ms").asLong());
  }

  /** Cuts host {@code index} off: new connections time out, open ones stall. */
  public void cut(int index) {
    script("cut", Integer.toString(host(index).index()));
  }

  /** Reconnects host {@code index}. */
  public void restore(int index) {
    script("restore", Integer.toString(host(index).index()));
  }

  /** Accepts another public key on every host, for every user (e.g. an RSA key a test made). */
  public void authorize(Path publicKeyFile) {
    script("authorize", publicKeyFile.toString());
  }

  /** Runs {@code command} on host {@code index} as {@link #user()} with the real OpenSSH client. */
  public Result ssh(int index, String command) {
    return ssh(user(), index, command, 10);
  }

  /**
   * Runs {@code command} on host {@code index} as {@code user} (root, bosun-test, bosun-nosudo).
   */
  public Result ssh(String user, int index, String command) {
    return ssh(user, index, command, 10);
  }

  public Result ssh(String user, int index, String command, int connectTimeoutSeconds) {
    List<String> argv = new ArrayList<>(sshCommand(user, index, connectTimeoutSeconds));
    argv.add(command);
    return run(argv, Duration.ofSeconds(connectTimeoutSeconds + 120L));
  }

  /** {@code ssh -i KEY -o ... user@ip}: append a command, or use it for your own process. */
  public List<String> sshCommand(String user, int index, int connectTimeoutSeconds) {
    return List.of(
        "ssh",
        "-i",
        privateKey().toString(),
        "-o",
        "IdentitiesOnly=yes",
        "-o",
        "BatchMode=yes",
        "-o",
        "StrictHostKeyChecking=yes",
        "-o",
        "UserKnownHostsFile=" + knownHosts(),
        "-o",
        "GlobalKnownHostsFile=/dev/null",
        "-o",
        "ConnectTimeout=" + connectTimeoutSeconds,
        "-o",
        "LogLevel=ERROR",
        host(index).address(user));
  }

  /**
   * Runs {@code argv} as root inside host {@code index}'s namespaces (network, mounts, hostname,
   * PIDs) without SSH: e.g. to mount a tiny tmpfs on /var/lib/bosun-agent for a "disk full" test.
   */
  public Result exec(int index, String... argv) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "bash",
                script.toString(),
                "exec",
                Integer.toString(host(index).index()),
                "--prefix",
                prefix,
                "--state",
                state.toString(),
                "--"));
    command.addAll(List.of(argv));
    return run(command, Duration.ofMinutes(2));
  }

  private void script(String... args) {
    List<String> command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("--prefix", prefix, "--state", state.toString()));
    Result result = run(command, Duration.ofMinutes(1));
    if (!result.ok()) {
      throw new IllegalStateException(
          "test-hosts.sh " + String.join(" ", args) + " failed: " + result);
    }
  }

  /**
   * Tears everything down (sshd and every process the hosts started, namespaces, bridge, state
   * directory). Set {@code -Dbosun.testHosts.keep=true} to keep the state directory (logs).
   */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // already running the hooks
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                "bash",
                script.toString(),
                "down",
                "--prefix",
                prefix,
                "--state",
                state.toString()));
    if (Boolean.getBoolean("bosun.testHosts.keep")) command.add("--keep-state");
    Result down = run(command, Duration.ofMinutes(1));
    if (!down.ok()) throw new IllegalStateException("test-hosts.sh down failed: " + down);
  }

  private synchronized void downQuietly() {
    if (closed) return;
    closed = true;
    try {
      run(
          List.of(
              "bash", script.toString(), "down", "--prefix", prefix, "--state", state.toString()),
          Duration.ofSeconds(30));
    } catch (RuntimeException ignored) {
      // best effort at JVM exit
    }
  }

  /**
   * Runs a command, stdin from /dev/null, and collects its output; kills it after {@code timeout}.
   */
  static Result run(List<String> command, Duration timeout) {
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      CompletableFuture<String> out = readAsync(process.getInputStream());
      CompletableFuture<String> err = readAsync(process.getErrorStream());
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        return new Result(
            124, out.getNow(""), err.getNow("") + "\ntimed out after " + timeout + ": " + command);
      }
      return new Result(process.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + command, e);
    }
  }

  private static CompletableFuture<String> readAsync(InputStream stream) {
    // Own threads: the common pool may have a single thread here, and both pipes must drain.
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            return "";
          }
        },
        task -> Thread.ofPlatform().daemon().name("test-hosts-output").start(task));
  }
}
