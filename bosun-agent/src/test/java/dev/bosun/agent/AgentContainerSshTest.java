package dev.bosun.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bosun.agent.docker.DockerClient;
import dev.bosun.agent.docker.TestDockerd;
import dev.bosun.agent.ssh.JobKeys;
import dev.bosun.agent.ssh.JobSshServer;
import dev.bosun.api.agent.JobContainer;
import dev.bosun.api.agent.StopRequest;
import dev.bosun.model.state.JobStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real OpenSSH client into container jobs on a private dockerd ({@link TestDockerd}): exec and
 * a terminal inside the container's namespaces as its user, SFTP into its filesystem (symbolic
 * links stay inside it), and local forwarding to ports served in a bridge-network container, on its
 * address or only on its loopback (through a relay in its network namespace).
 */
class AgentContainerSshTest {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(AgentContainerSshTest.class);
  private static final String IMAGE = "bosun-test/busybox:1";

  @TempDir static Path dataDir;
  @TempDir static Path sshDir;
  @TempDir Path scratch;
  static TestDockerd dockerd;
  static TestAgent agent;
  static JobKeys keys;
  static JobSshServer server;
  static OpenSsh ssh;

  @BeforeAll
  static void start() throws Exception {
    dockerd = TestDockerd.start();
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("DOCKER_HOST", dockerd.dockerHost());
    env.put("BOSUN_DOCKER_NETWORK", dockerd.bridgeNetwork());
    agent = TestAgent.start(AgentOptions.defaults(dataDir).withEnvironment(env));
    keys = new JobKeys();
    server =
        JobSshServer.start(
            JobSshServer.Settings.of(
                dataDir,
                new JobSshTargets(agent.handle.jobService(), env),
                keys,
                DockerClient.lazy(env.get("DOCKER_HOST"))));
    ssh = OpenSsh.create(sshDir, server.port());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (agent != null) {
      agent.close();
    }
    if (dockerd != null) {
      dockerd.close(); // removes the containers
    }
  }

  private static JobContainer container(String user, List<Integer> ports) {
    return new JobContainer(
        IMAGE, null, user, false, null, null, List.of(), null, false, ports, 20);
  }

  private static void running(TestAgent.Builder job, String jobId) {
    agent.client.submit(job.build());
    agent.awaitState(jobId, state -> state.status() == JobStatus.RUNNING);
    keys.authorize(jobId, List.of(OpenSsh.publicKey(ssh.key)));
  }

  private static String containerId(String jobId) {
    return dockerd.client().inspectContainer("bosun-" + jobId).id();
  }

  @Test
  void execRunsInsideTheContainerAsItsUserWithItsEnvironmentAndLimits() {
    running(
        TestAgent.job("box", "sleep 600")
            .env("GREETING", "hello from the job")
            .workingDir("/home/app/work")
            .container(container("app", List.of())),
        "box");

    OpenSsh.Result result =
        ssh.ssh(
            "box",
            "cat /etc/hostname; hostname; id -u; id -g; echo \"$GREETING|$HOME\"; pwd;"
                + " cat /proc/1/comm; test \"$(cat /proc/self/cgroup)\" = \"$(cat /proc/1/cgroup)\""
                + " && echo same-cgroups; exit 7");

    String hostname = containerId("box").substring(0, 12);
    long[] millis = new long[5];
    for (int i = 0; i < millis.length; i++) {
      millis[i] = ssh.ssh("box", "true").took().toMillis();
    }
    LOG.info(
        "ssh exec round trips into a container (connect, authenticate, inspect, nsenter, exit)"
            + " in ms: {}",
        java.util.Arrays.toString(millis));
    assertThat(result.exit()).as(result.toString()).isEqualTo(7);
    assertThat(result.out().lines().toList())
        .containsExactly(
            hostname,
            hostname,
            "1000",
            "1000",
            "hello from the job|/home/app",
            "/home/app/work",
            "docker-init",
            "same-cgroups");
  }

  @Test
  void aTerminalSessionRunsInTheContainer() {
    running(TestAgent.job("boxtty", "sleep 600").container(container(null, List.of())), "boxtty");

    // the local ssh gets a terminal from script(1), so that it sends its type and size
    String sshLine =
        String.join(
            " ",
            ssh.sshCommand("boxtty", ssh.key, List.of("-tt")).stream()
                .map(word -> "'" + word.replace("'", "'\\''") + "'")
                .toList());

    OpenSsh.Result result =
        OpenSsh.run(
            List.of(
                "env",
                "TERM=vt100",
                "script",
                "-qfec",
                "stty rows 30 cols 100; " + sshLine,
                "/dev/null"),
            "echo \"$TERM\"; id -u; hostname; stty size; exit 3\n");

    assertThat(result.exit()).as(result.toString()).isEqualTo(3);
    String out = result.out().replace("\r", "");
    assertThat(out).contains("vt100\n0\n" + containerId("boxtty").substring(0, 12) + "\n30 100\n");
  }

  @Test
  void sftpReadsAndWritesTheContainersFilesAsItsUserAndLinksStayInside() throws Exception {
    running(
        TestAgent.job("boxfiles", "echo made-inside > /home/app/inside.txt && sleep 600")
            .workingDir("/home/app")
            .container(container("app", List.of())),
        "boxfiles");
    Path upload = Files.writeString(scratch.resolve("up.txt"), "uploaded\n");
    Path hostSecret = Files.writeString(scratch.resolve("host-secret"), "host only\n");
    OpenSsh.Result links =
        ssh.ssh(
            "boxfiles",
            "ln -s /etc/hostname /tmp/hostname-link && ln -s "
                + hostSecret
                + " /tmp/secret-link && ln -s / /tmp/root-link");
    assertThat(links.exit()).as(links.toString()).isZero();

    OpenSsh.Result sftp =
        ssh.sftp(
            "boxfiles",
            "put "
                + upload
                + " /tmp/up.txt\n"
                + "mkdir /tmp/made\n"
                + "get inside.txt "
                + scratch.resolve("inside.txt")
                + "\n"
                + "get /tmp/hostname-link "
                + scratch.resolve("hostname.txt")
                + "\n"
                + "get /tmp/root-link/etc/passwd "
                + scratch.resolve("passwd.txt")
                + "\n");
    OpenSsh.Result escape =
        ssh.sftp("boxfiles", "get /tmp/secret-link " + scratch.resolve("secret.txt") + "\n");
    OpenSsh.Result inside =
        ssh.ssh("boxfiles", "cat /tmp/up.txt; stat -c '%u:%g' /tmp/up.txt /tmp/made");

    assertThat(sftp.exit()).as(sftp.toString()).isZero();
    assertThat(Files.readString(scratch.resolve("inside.txt"))).isEqualTo("made-inside\n");
    assertThat(Files.readString(scratch.resolve("hostname.txt")))
        .isEqualTo(containerId("boxfiles").substring(0, 12) + "\n");
    assertThat(Files.readString(scratch.resolve("passwd.txt"))).contains("app:x:1000:1000");
    assertThat(escape.exit()).as(escape.toString()).isNotZero();
    assertThat(scratch.resolve("secret.txt")).doesNotExist();
    assertThat(inside.out()).isEqualTo("uploaded\n1000:1000\n1000:1000\n");
  }

  @Test
  void localForwardingReachesServersOnTheContainersAddressAndOnItsLoopbackOnly() throws Exception {
    running(
        TestAgent.job(
                "boxweb",
                "mkdir -p /tmp/all /tmp/lo",
                "echo on-all-addresses > /tmp/all/index.html",
                "echo on-loopback-only > /tmp/lo/index.html",
                "httpd -p 8080 -h /tmp/all",
                "exec httpd -f -p 127.0.0.1:8081 -h /tmp/lo")
            .container(container(null, List.of())),
        "boxweb");
    int all = OpenSsh.freePort();
    int loopback = OpenSsh.freePort();
    int nothing = OpenSsh.freePort();
    Path log = scratch.resolve("tunnel.log");
    Process tunnel =
        OpenSsh.background(
            verbose(
                ssh.sshCommand(
                    "boxweb",
                    ssh.key,
                    List.of(
                        "-N",
                        "-o",
                        "ExitOnForwardFailure=yes",
                        "-L",
                        all + ":localhost:8080",
                        "-L",
                        loopback + ":localhost:8081",
                        "-L",
                        nothing + ":localhost:8082"))),
            log);
    try {
      assertThat(OpenSsh.awaitBody(all, "on-all-addresses\n")).isEqualTo("on-all-addresses\n");
      assertThat(OpenSsh.awaitBody(loopback, "on-loopback-only\n")).isEqualTo("on-loopback-only\n");
      assertThat(relays("boxweb")).as("no relay outlives its connection").isEmpty();

      // a new connection per request: the container's address, then the relay after a refusal
      long[] direct = new long[10];
      long[] relayed = new long[10];
      for (int i = 0; i < direct.length; i++) {
        direct[i] = timed(() -> assertThat(get(all, "/")).endsWith("on-all-addresses\n"));
        relayed[i] = timed(() -> assertThat(get(loopback, "/")).endsWith("on-loopback-only\n"));
      }
      LOG.info(
          "HTTP/1.0 GET through ssh -L, new connection each, in µs: on the container's address {},"
              + " on its loopback only (relay) {}",
          Arrays.toString(direct),
          Arrays.toString(relayed));

      // nothing listens: the local connection ends at once, ssh says why, the session goes on
      long refused;
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), nothing)) {
        socket.setSoTimeout(10_000);
        long started = System.nanoTime();
        int read;
        try {
          read = socket.getInputStream().read();
        } catch (IOException reset) {
          read = -1;
        }
        refused = (System.nanoTime() - started) / 1000;
        assertThat(read).isEqualTo(-1);
      }
      LOG.info("a connection to a port nothing listens on ended after {} µs", refused);
      assertThat(refused).isLessThan(5_000_000);
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(Files.readString(log))
                      .contains(
                          "open failed: connect failed: cannot connect to localhost:8082 in job"
                              + " boxweb: Connection refused"));
      assertThat(get(loopback, "/")).endsWith("on-loopback-only\n");
      assertThat(tunnel.isAlive()).isTrue();
    } finally {
      tunnel.destroy();
    }
    OpenSsh.Result stdio =
        OpenSsh.run(
            verbose(ssh.sshCommand("boxweb", ssh.key, List.of("-W", "localhost:8082"))), "");
    assertThat(stdio.exit()).as(stdio.toString()).isEqualTo(255);
    assertThat(stdio.err())
        .contains("open failed: connect failed: cannot connect to localhost:8082");
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(relays("boxweb")).isEmpty());
  }

  @Test
  void largeBinaryDataCrossesTheRelayIntactAndNoRelayOutlivesItsChannelOrTheJob() throws Exception {
    running(
        TestAgent.job(
                "boxbig",
                "mkdir -p /tmp/lo/cgi-bin",
                "head -c 5242880 /dev/urandom > /tmp/lo/big.bin",
                "printf '#!/bin/sh\\necho Content-Type: application/octet-stream\\necho\\nexec cat\\n'"
                    + " > /tmp/lo/cgi-bin/echo",
                "chmod +x /tmp/lo/cgi-bin/echo",
                "exec httpd -f -p 127.0.0.1:8081 -h /tmp/lo")
            .container(container(null, List.of())),
        "boxbig");
    String containerSum = ssh.ssh("boxbig", "sha256sum /tmp/lo/big.bin").out().split(" ")[0];
    String[] namespace = namespaces("boxbig");
    int loopback = OpenSsh.freePort();
    Process tunnel =
        OpenSsh.background(
            ssh.sshCommand(
                "boxbig",
                ssh.key,
                List.of(
                    "-N", "-o", "ExitOnForwardFailure=yes", "-L", loopback + ":localhost:8081")),
            scratch.resolve("tunnel.log"));
    try {
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptions()
          .until(() -> get(loopback, "/big.bin").length() > 0);
      long started = System.nanoTime();
      byte[] download = getBytes(loopback, "/big.bin");
      long downloadMs = (System.nanoTime() - started) / 1_000_000;
      byte[] body = Arrays.copyOfRange(download, download.length - 5242880, download.length);
      assertThat(new String(download, 0, 15, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.");
      assertThat(sha256(body)).isEqualTo(containerSum);

      byte[] sent = new byte[5 * 1024 * 1024 + 3];
      new Random(7).nextBytes(sent);
      started = System.nanoTime();
      byte[] echoed = echo(loopback, sent);
      long echoMs = (System.nanoTime() - started) / 1_000_000;
      assertThat(echoed.length).isGreaterThan(sent.length);
      assertThat(sha256(Arrays.copyOfRange(echoed, echoed.length - sent.length, echoed.length)))
          .isEqualTo(sha256(sent));
      LOG.info(
          "through the relay: 5 MiB downloaded in {} ms, 5 MiB echoed (up and down at once) in {}"
              + " ms",
          downloadMs,
          echoMs);
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(relays(namespace)).isEmpty());

      // an open connection has its relay until the job ends
      try (Socket idle = new Socket(InetAddress.getLoopbackAddress(), loopback)) {
        await()
            .atMost(Duration.ofSeconds(5))
            .untilAsserted(() -> assertThat(relays(namespace)).hasSize(3)); // bash, 2 cats
        agent.client.stop("boxbig", new StopRequest(true, null));
        agent.awaitFinished("boxbig");
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> assertThat(relays(namespace)).isEmpty());
      }
    } finally {
      tunnel.destroy();
    }
  }

  /** The command with {@code LogLevel=INFO} (the first value given wins), which shows refusals. */
  private static List<String> verbose(List<String> command) {
    List<String> verbose = new ArrayList<>(command);
    verbose.addAll(1, List.of("-o", "LogLevel=INFO"));
    return verbose;
  }

  private static long timed(Runnable request) {
    long started = System.nanoTime();
    request.run();
    return (System.nanoTime() - started) / 1000;
  }

  /** {@code GET path HTTP/1.0} on a new connection: the whole response, headers and all. */
  private static String get(int port, String path) {
    return new String(getBytes(port, path), StandardCharsets.ISO_8859_1);
  }

  private static byte[] getBytes(int port, String path) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(20_000);
      socket
          .getOutputStream()
          .write(("GET " + path + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      return socket.getInputStream().readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** POSTs {@code body} to the echo CGI, sending and reading at once: the whole response. */
  private static byte[] echo(int port, byte[] body) throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(30_000);
      CompletableFuture<Void> sending =
          CompletableFuture.runAsync(
              () -> {
                try {
                  OutputStream out = socket.getOutputStream();
                  out.write(
                      ("POST /cgi-bin/echo HTTP/1.0\r\nContent-Type: application/octet-stream\r\n"
                              + "Content-Length: "
                              + body.length
                              + "\r\n\r\n")
                          .getBytes(StandardCharsets.ISO_8859_1));
                  out.write(body);
                  out.flush();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              },
              runnable -> Thread.ofPlatform().daemon().start(runnable));
      byte[] response = socket.getInputStream().readAllBytes();
      sending.get(30, TimeUnit.SECONDS);
      return response;
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /** The container's network and pid namespaces as the host names them ({@code net:[…]}). */
  private static String[] namespaces(String jobId) throws IOException {
    Path ns =
        Path.of(
            "/proc",
            Long.toString(dockerd.client().inspectContainer("bosun-" + jobId).state().pid()),
            "ns");
    return new String[] {
      Files.readSymbolicLink(ns.resolve("net")).toString(),
      Files.readSymbolicLink(ns.resolve("pid")).toString()
    };
  }

  private static List<String> relays(String jobId) throws IOException {
    return relays(namespaces(jobId));
  }

  /**
   * Relays: the host's processes in the container's network namespace but not in its pid namespace
   * (sessions enter both), as {@code PID COMM}.
   */
  private static List<String> relays(String[] namespace) throws IOException {
    List<String> found = new ArrayList<>();
    try (var processes = Files.list(Path.of("/proc"))) {
      for (Path process : processes.toList()) {
        if (!process.getFileName().toString().chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          if (Files.readSymbolicLink(process.resolve("ns/net")).toString().equals(namespace[0])
              && !Files.readSymbolicLink(process.resolve("ns/pid"))
                  .toString()
                  .equals(namespace[1])) {
            found.add(
                process.getFileName() + " " + Files.readString(process.resolve("comm")).strip());
          }
        } catch (IOException gone) {
          // ended, or a kernel thread
        }
      }
    }
    return found;
  }

  @Test
  void sessionsCountWhileOpen() throws Exception {
    running(
        TestAgent.job("boxcount", "sleep 600").container(container(null, List.of())), "boxcount");
    Process session =
        OpenSsh.background(
            ssh.sshCommand("boxcount", ssh.key, List.of(), "sleep 30"), scratch.resolve("s.log"));
    await().atMost(Duration.ofSeconds(10)).until(() -> server.sessions("boxcount") == 1);
    session.destroy();
    await().atMost(Duration.ofSeconds(10)).until(() -> server.sessions("boxcount") == 0);
    // The session's process is killed as the session closes; it may outlive the count by a moment.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(ssh.ssh("boxcount", "ps | grep -c '[s]leep 30' || true").out().strip())
                    .as("the session's process ended with it")
                    .isEqualTo("0"));
    assertThat(server.lastActivity("boxcount")).isPresent();
  }
}
