package dev.bosun.agent.docker;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private Docker daemon for tests: its own {@code --data-root}, {@code --exec-root}, {@code
 * --pidfile}, socket and (empty) config file in a temporary directory, started as root with {@code
 * --iptables=false --bridge=none}, so that it changes no firewall rule and creates no {@code
 * docker0} (other tests' network namespaces keep working). It has the test image {@link
 * BusyboxImage#REFERENCE}.
 *
 * <pre>{@code
 * @BeforeAll static void up() { dockerd = TestDockerd.start(); }   // skips when not root etc.
 * @AfterAll static void down() { dockerd.close(); }                 // nothing left behind
 * DockerClient docker = dockerd.client();
 * String net = dockerd.bridgeNetwork();   // for published ports; host and none always work
 * }</pre>
 *
 * <p>Containers can use the networks {@code none} and {@code host}, and {@link #bridgeNetwork()}: a
 * user-defined bridge network on a private {@code 10.79.N.0/24} subnet (N picked so it is not in
 * use on this machine) with its own bridge interface, for tests of published ports, which Docker's
 * userland proxy forwards without any iptables rule. {@link #close()} stops the daemon by its pid
 * and removes the network, leftover mounts and the directory. Several may run at once (each has its
 * own directory, subnet and bridge). Test sources of {@code bosun-agent}; other modules can reuse
 * it once the module publishes a test-jar.
 */
public final class TestDockerd implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TestDockerd.class);
  private static final Path DOCKERD = Path.of("/usr/sbin/dockerd");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Path dir;
  private final Process process;
  private final DockerClient client;
  private final Thread shutdownHook;
  private final List<String> networks = new ArrayList<>();
  private final List<String> bridges = new ArrayList<>();
  private Duration startTime = Duration.ZERO;
  private Duration imageImportTime = Duration.ZERO;
  private boolean closed;

  private TestDockerd(Path dir, Process process) {
    this.dir = dir;
    this.process = process;
    this.client = new DockerClient(dir.resolve("docker.sock"));
    this.shutdownHook = new Thread(this::stopDaemon, "test-dockerd-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts a daemon and imports the test image; skips the calling test (JUnit assumption) when not
   * root or when dockerd or a static busybox is not installed.
   */
  public static TestDockerd start() {
    return start(List.of());
  }

  /**
   * A daemon that also listens on the system's socket {@code /var/run/docker.sock}, for agents
   * whose environment cannot be set (agents on the SSH test hosts, which share this machine's
   * files); skips the calling test when that socket exists already (another Docker runs here).
   */
  public static TestDockerd startOnSystemSocket() {
    Path system = Path.of("/var/run/docker.sock");
    assumeTrue(!Files.exists(system), system + " exists: another Docker runs on this machine");
    return start(List.of("--host=unix://" + system));
  }

  private static TestDockerd start(List<String> extraArguments) {
    assumeTrue("root".equals(System.getProperty("user.name")), "a private dockerd needs root");
    assumeTrue(Files.isExecutable(DOCKERD), DOCKERD + " is missing (apt-get install docker.io)");
    String busybox = BusyboxImage.unavailableReason();
    assumeTrue(busybox == null, () -> "no test image: " + busybox);
    long started = System.nanoTime();
    Path dir;
    try {
      dir = Files.createTempDirectory("bosun-dockerd-");
      Files.writeString(dir.resolve("daemon.json"), "{}\n"); // not /etc/docker/daemon.json
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> command = new java.util.ArrayList<>();
    command.addAll(
        List.of(
            DOCKERD.toString(),
            "--config-file=" + dir.resolve("daemon.json"),
            "--data-root=" + dir.resolve("data"),
            "--exec-root=" + dir.resolve("exec"),
            "--pidfile=" + dir.resolve("dockerd.pid"),
            "--host=unix://" + dir.resolve("docker.sock"),
            "--iptables=false",
            "--ip-forward=false",
            "--bridge=none"));
    command.addAll(extraArguments);
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("dockerd.log").toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    TestDockerd dockerd = new TestDockerd(dir, process);
    try {
      dockerd.awaitPing();
      dockerd.startTime = Duration.ofNanos(System.nanoTime() - started);
      long importStarted = System.nanoTime();
      BusyboxImage.build(dockerd.client, dir.resolve("image"));
      dockerd.imageImportTime = Duration.ofNanos(System.nanoTime() - importStarted);
      LOG.info(
          "Private dockerd {} up in {} ms, test image imported in {} ms",
          dockerd.client.endpoint(),
          dockerd.startTime.toMillis(),
          dockerd.imageImportTime.toMillis());
      return dockerd;
    } catch (Exception | AssertionError e) {
      dockerd.close();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("the private dockerd did not come up: " + e.getMessage(), e);
    }
  }

  /** A client of this daemon. */
  public DockerClient client() {
    return client;
  }

  /** The daemon's socket. */
  public Path socket() {
    return dir.resolve("docker.sock");
  }

  /** {@code unix:///.../docker.sock}, for {@code DOCKER_HOST}. */
  public String dockerHost() {
    return client.endpoint();
  }

  /** The test image's root filesystem as a tar, e.g. to serve from a {@code FakeRegistry}. */
  public Path imageTar() {
    return dir.resolve("image/rootfs.tar");
  }

  /** How long the daemon took to answer its first ping. */
  public Duration startTime() {
    return startTime;
  }

  /** How long building and importing the test image took. */
  public Duration imageImportTime() {
    return imageImportTime;
  }

  /**
   * The name of a user-defined bridge network for containers whose ports are published, created on
   * first use: a free {@code 10.79.N.0/24} subnet on a bridge interface {@code bosun-dkXXXXXXX}.
   */
  public synchronized String bridgeNetwork() {
    if (!networks.isEmpty()) {
      return networks.getFirst();
    }
    String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(1);
    String bridge = "bosun-dk" + suffix; // interface names have at most 15 characters
    String name = "bosun-test-" + suffix;
    String subnet = "10.79." + freeThirdOctet() + ".0/24";
    client.createNetwork(name, subnet, Map.of("com.docker.network.bridge.name", bridge));
    networks.add(name);
    bridges.add(bridge);
    LOG.info("Test network {} on bridge {} with subnet {}", name, bridge, subnet);
    return name;
  }

  /** Removes every container, stops the daemon by its pid and deletes its directory. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (process.isAlive()) {
      try {
        for (ContainerSummary container : client.listContainers(Map.of())) {
          client.removeContainer(container.id());
        }
        networks.forEach(client::removeNetwork);
      } catch (DockerException e) {
        LOG.warn("Cleaning up the private dockerd: {}", e.getMessage());
      }
    }
    stopDaemon();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down
    }
    for (String bridge : bridges) {
      if (Files.exists(Path.of("/sys/class/net", bridge))) {
        run("ip", "link", "del", bridge);
      }
    }
    unmountUnder(dir);
    deleteRecursively(dir);
  }

  private void awaitPing() throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    DockerException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "dockerd exited with " + process.exitValue() + ": " + logTail());
      }
      try {
        client.ping();
        return;
      } catch (DockerException e) {
        last = e;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(
        "dockerd did not answer within "
            + START_TIMEOUT.toSeconds()
            + " s ("
            + (last == null ? "" : last.getMessage())
            + "): "
            + logTail());
  }

  /** SIGTERM to the daemon's pid (it stops its containerd), SIGKILL if it has not ended in 20 s. */
  private void stopDaemon() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        LOG.warn("dockerd (pid {}) ignored SIGTERM for 20 s; killing it", process.pid());
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        killContainerd();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The containerd a killed dockerd started and could not stop, by its pid file. */
  private void killContainerd() {
    Path pidFile = dir.resolve("exec/containerd/containerd.pid");
    try {
      if (Files.exists(pidFile)) {
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
    } catch (IOException | NumberFormatException e) {
      LOG.warn("Cannot read {}: {}", pidFile, e.getMessage());
    }
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("dockerd.log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static int freeThirdOctet() {
    List<Integer> used = new ArrayList<>();
    try {
      for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
        for (InterfaceAddress address : nic.getInterfaceAddresses()) {
          byte[] bytes = address.getAddress().getAddress();
          if (address.getAddress() instanceof Inet4Address && bytes[0] == 10 && bytes[1] == 79) {
            used.add(bytes[2] & 0xff);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (int attempt = 0; attempt < 1000; attempt++) {
      int octet = ThreadLocalRandom.current().nextInt(1, 255);
      if (!used.contains(octet)) {
        return octet;
      }
    }
    throw new IllegalStateException("no free 10.79.N.0/24 subnet");
  }

  /** Mounts a dying daemon may leave under its data root (shm, overlay). */
  private static void unmountUnder(Path dir) {
    try {
      List<String> mounts =
          Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
              .map(line -> line.split(" ")[4])
              .filter(point -> point.startsWith(dir.toString()))
              .sorted(Comparator.reverseOrder())
              .toList();
      mounts.forEach(point -> run("umount", "-l", point));
    } catch (IOException e) {
      LOG.warn("Cannot read the mount table: {}", e.getMessage());
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      LOG.warn("Cannot delete {}: {}", dir, e.getMessage());
    }
  }

  private static void run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (process.waitFor() != 0) {
        LOG.warn("{} failed: {}", String.join(" ", command), output.strip());
      }
    } catch (IOException e) {
      LOG.warn("{} failed: {}", String.join(" ", command), e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
