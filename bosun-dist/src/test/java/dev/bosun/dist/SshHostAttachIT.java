package dev.bosun.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bosun.api.AddSshKeyRequest;
import dev.bosun.api.ApiException;
import dev.bosun.api.BosunClient;
import dev.bosun.api.CreateUserRequest;
import dev.bosun.api.JobInfo;
import dev.bosun.api.RunInfo;
import dev.bosun.dist.hosts.TestHosts;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Into a job on an SSH host with plain OpenSSH, through the server: {@code bosun attach} on a job
 * that runs on a real sshd host ({@link TestHosts}) reached only through a jump host (the fleet's
 * {@code proxy_jump}), so every connection goes client → server's WebSocket tunnel → a port the
 * server forwards over its SSH session (through the jump host) → the agent's SSH server on the
 * host's loopback. Commands see the job's environment and only its GPUs, {@code scp} round-trips a
 * file through the job's working directory, {@code ssh -L} reaches the job's HTTP port, and a user
 * who is not a member of the run's project is refused at every door. Last, {@code bosun attach} in
 * the foreground forwards the run's port until the host is lost, and then ends with the failed run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SshHostAttachIT {
  private static final String FLEET = "behind";
  private static final String RUN = "box";
  private static final int JOB_PORT = 8080;
  private static final int JUMP = 1;
  private static final int GPU_HOST = 2;

  private TestHosts hosts;
  private BosunHarness bosun;
  private BosunClient admin;
  private String bobToken;
  private Path bobHome;
  private JobInfo job;
  private final List<Process> background = new ArrayList<>();
  private AttachIT.Live attached;

  @BeforeAll
  void start() throws Exception {
    // Own prefix and subnet: other SSH ITs may run on this machine at the same time. Host 1 is only
    // a jump host; host 2, behind it, has four GPUs.
    hosts =
        TestHosts.builder()
            .hosts(2)
            .gpus("none,4xH100")
            .prefix("bosun-a")
            .subnet("10.77.61")
            .start();
    isolateGpus(GPU_HOST);
    bosun = new BosunHarness();
    BosunHarness.Result first = bosun.run("project"); // starts the server on first use
    assertThat(first.code()).as(first.toString()).isZero();
    admin = bosun.client();
    bobToken = admin.createUser(new CreateUserRequest("bob")).token();
    BosunHarness.Result lab = bosun.run("project", "create", "lab", "--member", "bob");
    assertThat(lab.code()).as(lab.toString()).isZero();
    bobHome = Files.createDirectories(bosun.work.resolve("bob-home"));

    Path fleet =
        bosun.file(
            FLEET + ".bosun.yml",
            """
            type: fleet
            name: %s
            ssh_config:
              user: %s
              identity_file: %s
              proxy_jump:
                hostname: %s
              hosts:
                - %s
            """
                .formatted(
                    FLEET,
                    hosts.user(),
                    hosts.privateKey(),
                    hosts.host(JUMP).ip(),
                    hosts.host(GPU_HOST).ip()));
    BosunHarness.Result applied = bosun.run("apply", "-y", "-f", fleet.toString());
    assertThat(applied.code()).as(applied.toString()).isZero();

    // A dev environment whose init starts a server of its working directory on the host's
    // loopback (its netns's); the environment then stays up.
    Path task =
        bosun.file(
            RUN + ".bosun.yml",
            """
            type: dev-environment
            name: %s
            fleets: [%s]
            resources: {cpu: 1, memory: 0.2GB, gpu: 2}
            ports: ['*:%d']
            init:
              - echo "hello from $BOSUN_RUN_NAME on $(hostname)" > index.html
              - (if command -v busybox >/dev/null; then exec busybox httpd -f -p 127.0.0.1:%d; else exec python3 -m http.server %d --bind 127.0.0.1; fi &)
            """
                .formatted(RUN, FLEET, JOB_PORT, JOB_PORT, JOB_PORT));
    BosunHarness.Result run = bosun.run("apply", "-y", "-d", "-f", task.toString());
    assertThat(run.code()).as(run.toString()).isZero();
    RunInfo running =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> admin.run("main", RUN), r -> r.status().equals("running"));
    job = running.jobs().getFirst();
    assertThat(job.instance()).isEqualTo(hosts.host(GPU_HOST).ip());
    assertThat(job.gpus()).hasSize(2);
  }

  @AfterAll
  void stop() throws Exception {
    for (Process process : background) {
      process.destroyForcibly();
    }
    if (bosun != null) {
      bosun.close();
    }
    if (hosts != null) {
      hosts.close();
    }
  }

  /**
   * The host's {@code nvidia-smi} stand-in lists every GPU of the host, whoever asks, as the real
   * one does for a plain process: only a container runtime hides the GPUs not in {@code
   * NVIDIA_VISIBLE_DEVICES}. This wrapper does what the runtime would (it keeps the host's indices,
   * where a container would renumber them from 0; the UUIDs are the same), so that what a session
   * sees tells which GPUs its job has. The agent itself, with neither variable set, sees all four.
   */
  private void isolateGpus(int host) {
    String wrapper =
        """
        #!/bin/sh
        # Shows only the GPUs of NVIDIA_VISIBLE_DEVICES (else CUDA_VISIBLE_DEVICES), like a container runtime.
        visible=${NVIDIA_VISIBLE_DEVICES-${CUDA_VISIBLE_DEVICES-all}}
        case "$visible" in
          all) exec /usr/local/bin/nvidia-smi.all "$@" ;;
          ''|none|void) echo "No devices were found"; exit 6 ;;
        esac
        exec /usr/local/bin/nvidia-smi.all -i "$visible" "$@"
        """;
    TestHosts.Result installed =
        hosts.exec(
            host,
            "sh",
            "-c",
            "cd /usr/local/bin && mv nvidia-smi nvidia-smi.all && cat > nvidia-smi <<'EOF'\n"
                + wrapper
                + "EOF\nchmod 755 nvidia-smi");
    assertThat(installed.ok()).as(installed.toString()).isTrue();
  }

  /**
   * {@code bosun attach -d RUN} as the admin ({@code env} empty) or as another user: sets up SSH
   * and exits (without -d attach stays in the foreground; AttachIT covers that).
   */
  private BosunHarness.Result attach(Map<String, String> env, String run) throws Exception {
    return bosun.run(env, "attach", "-d", run);
  }

  private Path sshConfig() {
    return bosun.home.resolve("ssh/config");
  }

  /** The real OpenSSH {@code ssh} or {@code scp} with {@code args}, stdin from /dev/null. */
  private Process openSsh(String... args) throws Exception {
    Process process =
        new ProcessBuilder(args)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    background.add(process);
    return process;
  }

  private BosunHarness.Result openSshAndWait(String... args) throws Exception {
    return BosunHarness.await(openSsh(args), Duration.ofSeconds(90));
  }

  /** {@code ssh -F ~/.bosun/ssh/config RUN command}: what {@code attach} tells the user to run. */
  private BosunHarness.Result sshIntoRun(String command) throws Exception {
    return openSshAndWait("ssh", "-F", sshConfig().toString(), "-o", "BatchMode=yes", RUN, command);
  }

  /** Where the agent on the host runs the job (and sessions start). */
  private String workingDir() {
    return "/var/lib/bosun-agent/data/jobs/" + job.id() + "/workdir";
  }

  /** The host's GPUs, index to UUID, asked without any isolation. */
  private Map<Integer, String> hostGpus() {
    TestHosts.Result all =
        hosts.exec(
            GPU_HOST,
            "/usr/local/bin/nvidia-smi.all",
            "--query-gpu=index,uuid",
            "--format=csv,noheader");
    assertThat(all.ok()).as(all.toString()).isTrue();
    Map<Integer, String> gpus = new HashMap<>();
    for (String line : all.lines()) {
      String[] parts = line.split(",\\s*");
      gpus.put(Integer.parseInt(parts[0]), parts[1]);
    }
    assertThat(gpus).hasSize(4);
    return gpus;
  }

  @Test
  @Order(1)
  void attachGivesASessionWithTheJobsEnvironmentAndOnlyItsGpus() throws Exception {
    BosunHarness.Result attach = attach(Map.of(), RUN);
    assertThat(attach.code()).as(attach.toString()).isZero();
    assertThat(attach.out()).contains("ssh -F " + sshConfig() + " " + RUN);

    BosunHarness.Result entered =
        sshIntoRun(
            "echo \"run=$BOSUN_RUN_NAME\"; echo \"cuda=$CUDA_VISIBLE_DEVICES\"; hostname; pwd;"
                + " nvidia-smi --query-gpu=index,uuid --format=csv,noheader");
    assertThat(entered.code()).as(entered.toString()).isZero();
    List<String> lines = entered.out().lines().toList();
    assertThat(lines).hasSizeGreaterThanOrEqualTo(4);
    assertThat(lines.get(0)).isEqualTo("run=" + RUN);
    String expectedCuda =
        job.gpus().stream().sorted().map(String::valueOf).collect(Collectors.joining(","));
    assertThat(lines.get(1)).isEqualTo("cuda=" + expectedCuda);
    assertThat(lines.get(2))
        .as("the session runs on the host behind the jump host")
        .isEqualTo(hosts.host(GPU_HOST).name());
    assertThat(lines.get(3))
        .as("sessions start in the job's working directory")
        .isEqualTo(workingDir());
    Map<Integer, String> hostGpus = hostGpus();
    List<String> expectedGpus =
        job.gpus().stream().sorted().map(i -> i + ", " + hostGpus.get(i)).toList();
    assertThat(lines.subList(4, lines.size()))
        .as("nvidia-smi in the session lists exactly the job's GPUs")
        .containsExactlyElementsOf(expectedGpus);
  }

  @Test
  @Order(2)
  void scpRoundTripsAFileThroughTheJobsWorkingDirectory() throws Exception {
    // Big enough to need many SSH windows and WebSocket messages through the tunnel.
    byte[] content = new byte[3 * 1024 * 1024 + 17];
    new Random(42).nextBytes(content);
    Path local = bosun.work.resolve("upload.bin");
    Files.write(local, content);
    String config = sshConfig().toString();

    BosunHarness.Result up =
        openSshAndWait(
            "scp", "-F", config, "-o", "BatchMode=yes", local.toString(), RUN + ":upload.bin");
    assertThat(up.code()).as(up.toString()).isZero();
    TestHosts.Result onHost = hosts.exec(GPU_HOST, "sha256sum", workingDir() + "/upload.bin");
    assertThat(onHost.ok()).as("the file is in the job's working directory: %s", onHost).isTrue();
    assertThat(onHost.out()).startsWith(sha256(content));

    Path back = bosun.work.resolve("back.bin");
    BosunHarness.Result down =
        openSshAndWait(
            "scp", "-F", config, "-o", "BatchMode=yes", RUN + ":upload.bin", back.toString());
    assertThat(down.code()).as(down.toString()).isZero();
    assertThat(Files.readAllBytes(back)).isEqualTo(content);
  }

  @Test
  @Order(3)
  void localForwardingReachesTheJobsPort() throws Exception {
    int localPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      localPort = socket.getLocalPort();
    }
    Process forward =
        openSsh(
            "ssh",
            "-F",
            sshConfig().toString(),
            "-o",
            "BatchMode=yes",
            "-o",
            "ExitOnForwardFailure=yes",
            "-N",
            "-L",
            localPort + ":localhost:" + JOB_PORT,
            RUN);
    try {
      assertThat(awaitPage(localPort, forward)).isEqualTo(jobsPage());
    } finally {
      forward.destroy();
      forward.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** The job's index.html, fetched through a forward to {@code localPort} that {@code by} holds. */
  private static String awaitPage(int localPort, Process by) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest get =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + localPort + "/index.html"))
            .timeout(Duration.ofSeconds(10))
            .build();
    return await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .failFast("the process holding the forward exited", () -> !by.isAlive())
        .until(
            () -> http.send(get, HttpResponse.BodyHandlers.ofString()), r -> r.statusCode() == 200)
        .body();
  }

  private String jobsPage() {
    return "hello from " + RUN + " on " + hosts.host(GPU_HOST).name() + "\n";
  }

  @Test
  @Order(4)
  void aUserWhoIsNotAMemberOfTheProjectIsRefusedAtEveryDoor() throws Exception {
    String notMember = "you are not a member of project 'main'";
    Map<String, String> asBob = Map.of("BOSUN_HOME", bobHome.toString(), "BOSUN_TOKEN", bobToken);

    BosunHarness.Result attach = attach(asBob, RUN);
    assertThat(attach.code()).as(attach.toString()).isNotZero();
    assertThat(attach.err()).contains(notMember).doesNotContain("Exception");
    assertThat(bobHome.resolve("ssh/config")).doesNotExist();

    BosunClient bob = new BosunClient(URI.create(bosun.serverUrl()), bobToken);
    assertThatThrownBy(() -> bob.sshTarget("main", RUN, 0))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(403);
              assertThat(e.getMessage()).contains(notMember);
            });

    URI tunnel =
        URI.create(
            "ws://127.0.0.1:" + bosun.port + "/api/projects/main/runs/" + RUN + "/ssh?job=0");
    assertThatThrownBy(
            () ->
                HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .header("Authorization", "Bearer " + bobToken)
                    .buildAsync(tunnel, new WebSocket.Listener() {})
                    .join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            WebSocketHandshakeException.class,
            e -> {
              assertThat(e.getResponse().statusCode()).isEqualTo(403);
              Object body = e.getResponse().body();
              assertThat(
                      body instanceof byte[] bytes
                          ? new String(bytes, StandardCharsets.UTF_8)
                          : String.valueOf(body))
                  .as("the refusal says why")
                  .contains(notMember);
            });

    // Bob's own key, registered with the server: his token opens no tunnel into main's job...
    Path bobKey = bobHome.resolve("id_ed25519");
    Process keygen =
        new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", bobKey.toString())
            .redirectErrorStream(true)
            .start();
    assertThat(keygen.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(keygen.exitValue()).isZero();
    bob.addSshKey(
        new AddSshKeyRequest("bob-laptop", Files.readString(Path.of(bobKey + ".pub")).strip()));
    BosunHarness.Result withBobsToken =
        sshWithKey(
            bobKey,
            proxyCommand(Map.of("BOSUN_HOME", bobHome.toString(), "BOSUN_TOKEN", bobToken)));
    assertThat(withBobsToken.code()).as(withBobsToken.toString()).isNotZero();
    assertThat(withBobsToken.err()).contains("Error: cannot enter run " + RUN + ": " + notMember);

    // ...and through a tunnel someone else opens, the job's agent does not take his key: only the
    // keys of main's members were pushed to it.
    BosunHarness.Result withAdminsTunnel =
        sshWithKey(bobKey, proxyCommand(Map.of("BOSUN_HOME", bosun.home.toString())));
    assertThat(withAdminsTunnel.code()).as(withAdminsTunnel.toString()).isNotZero();
    assertThat(withAdminsTunnel.err()).contains("Permission denied (publickey)");

    // The member's way in still works.
    BosunHarness.Result admins = sshIntoRun("echo still-open");
    assertThat(admins.code()).as(admins.toString()).isZero();
    assertThat(admins.out()).isEqualTo("still-open\n");
  }

  /**
   * {@code bosun attach RUN} without -d stays in the foreground and forwards the run's {@code
   * *:8080} to a free local port: through the server's tunnel and the jump host to the job. It is
   * left attached for the next test.
   */
  @Test
  @Order(5)
  void attachInTheForegroundForwardsTheRunsPortThroughTheJumpHost() throws Exception {
    Path userHome = Files.createDirectories(bosun.work.resolve("user-home"));
    attached =
        new AttachIT.Live(
            bosun.start(Map.of("JAVA_TOOL_OPTIONS", "-Duser.home=" + userHome), "attach", RUN));
    Matcher url =
        attached.awaitOut(
            Pattern.compile("Port " + JOB_PORT + " of the run: http://localhost:(\\d+)"));
    assertThat(awaitPage(Integer.parseInt(url.group(1)), attached.process)).isEqualTo(jobsPage());
    assertThat(sshOf(attached)).hasSize(1);
  }

  /**
   * The host is lost while attached: its link goes down. The server notices within seconds (its SSH
   * session to the host misses its heartbeats), fails the run as the host stopped answering and
   * closes the tunnel; attach, whose connection went with the host, ends with that outcome and exit
   * status 1 rather than reconnecting to a run that is over. Back on the network, the abandoned job
   * is stopped on the host.
   */
  @Test
  @Order(6)
  void losingTheHostWhileAttachedEndsAttachWithTheFailedRun() throws Exception {
    assertThat(attached).as("attached by the previous test").isNotNull();
    assertThat(attached.process.isAlive()).as(attached.err()).isTrue();
    List<ProcessHandle> ssh = sshOf(attached);
    assertThat(ssh).hasSize(1);
    String ip = hosts.host(GPU_HOST).ip();
    assertThat(jobProcessRuns()).isTrue();
    hosts.cut(GPU_HOST);
    try {
      assertThat(attached.process.waitFor(90, TimeUnit.SECONDS))
          .as("attach ends once the run has failed: %s", attached.err())
          .isTrue();
      assertThat(attached.process.exitValue()).as(attached.err()).isEqualTo(1);
      attached.awaitErr(
          Pattern.compile("Run " + RUN + " failed: host " + ip + " stopped answering"));
      // It may have said the connection dropped and tried again (when it asked before the run was
      // failed): only before the outcome, which is the last word.
      List<String> said =
          attached.err().lines().filter(l -> !l.startsWith("Picked up JAVA_TOOL_OPTIONS")).toList();
      assertThat(said.getLast()).startsWith("Run " + RUN + " failed: ");
      assertThat(said.subList(0, said.size() - 1))
          .allMatch(l -> l.startsWith("The SSH connection to " + RUN + " dropped"));
      RunInfo failed = admin.run("main", RUN);
      assertThat(failed.status()).isEqualTo("failed");
      assertThat(failed.terminationReason()).isEqualTo("instance_unreachable");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> ssh.stream().noneMatch(ProcessHandle::isAlive));
    } finally {
      hosts.restore(GPU_HOST);
    }
    // The server connects to the host again and stops the job it has given up on.
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                admin.fleets("main").stream()
                    .filter(f -> f.name().equals(FLEET))
                    .flatMap(f -> f.instances().stream())
                    .map(i -> i.status())
                    .toList(),
            statuses -> statuses.equals(List.of("idle")));
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> !jobProcessRuns());
  }

  /** Whether the job's process (its wrapper, named after the job) runs on the host. */
  private boolean jobProcessRuns() {
    TestHosts.Result ps = hosts.exec(GPU_HOST, "ps", "-eo", "args");
    assertThat(ps.ok()).as(ps.toString()).isTrue();
    return ps.out().contains("bosun-job-" + job.id());
  }

  /** The {@code ssh -N} children of an attach process. */
  private static List<ProcessHandle> sshOf(AttachIT.Live attach) {
    return attach
        .process
        .descendants()
        .filter(
            p ->
                p.info().command().orElse("").endsWith("/ssh")
                    && p.info().commandLine().orElse("").contains(" -N "))
        .toList();
  }

  /** {@code bosun ssh-proxy RUN} as an OpenSSH ProxyCommand, with this environment. */
  private String proxyCommand(Map<String, String> env) {
    StringBuilder command = new StringBuilder("env");
    Map<String, String> all = new HashMap<>(env);
    all.put("BOSUN_SERVER_URL", bosun.serverUrl());
    all.forEach((k, v) -> command.append(' ').append(quote(k + "=" + v)));
    command
        .append(' ')
        .append(quote(ProcessHandle.current().info().command().orElse("java")))
        .append(" -jar ")
        .append(
            quote(
                Path.of(System.getProperty("bosun.jar", "target/bosun.jar"))
                    .toAbsolutePath()
                    .toString()))
        .append(" ssh-proxy --project main ")
        .append(RUN);
    return command.toString();
  }

  private BosunHarness.Result sshWithKey(Path key, String proxyCommand) throws Exception {
    return openSshAndWait(
        "ssh",
        "-F",
        "/dev/null",
        "-i",
        key.toString(),
        "-o",
        "IdentitiesOnly=yes",
        "-o",
        "BatchMode=yes",
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "ProxyCommand=" + proxyCommand,
        job.id() + "@" + RUN,
        "true");
  }

  private static String quote(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }

  private static String sha256(byte[] content) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
  }
}
