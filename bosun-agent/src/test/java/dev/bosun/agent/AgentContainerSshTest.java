package dev.bosun.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bosun.agent.docker.TestDockerd;
import dev.bosun.agent.ssh.JobKeys;
import dev.bosun.agent.ssh.JobSshServer;
import dev.bosun.api.agent.JobContainer;
import dev.bosun.model.state.JobStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real OpenSSH client into container jobs on a private dockerd ({@link TestDockerd}): exec and
 * a terminal inside the container's namespaces as its user, SFTP into its filesystem (symbolic
 * links stay inside it), and local forwarding to a port served in a bridge-network container.
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
                JobService.dockerClient(env)));
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
  void localForwardingReachesAPortServedInABridgeContainer() throws Exception {
    running(
        TestAgent.job(
                "boxweb",
                "mkdir -p /tmp/www && echo served-in-container > /tmp/www/index.html",
                "exec httpd -f -p 8080 -h /tmp/www")
            .container(container(null, List.of())),
        "boxweb");
    int localPort = OpenSsh.freePort();
    Process tunnel =
        OpenSsh.background(
            ssh.sshCommand(
                "boxweb",
                ssh.key,
                List.of(
                    "-N", "-o", "ExitOnForwardFailure=yes", "-L", localPort + ":localhost:8080")),
            scratch.resolve("tunnel.log"));
    try {
      String body = OpenSsh.awaitBody(localPort, "served-in-container\n");
      assertThat(body).isEqualTo("served-in-container\n");
    } finally {
      tunnel.destroy();
    }
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
    OpenSsh.Result after = ssh.ssh("boxcount", "ps | grep -c '[s]leep 30' || true");
    assertThat(after.out().strip()).as("the session's process ended with it").isEqualTo("0");
    assertThat(server.lastActivity("boxcount")).isPresent();
  }
}
