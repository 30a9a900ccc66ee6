package dev.bosun.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bosun.agent.ssh.JobKeys;
import dev.bosun.agent.ssh.JobSshServer;
import dev.bosun.api.agent.StopRequest;
import dev.bosun.model.state.JobStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real OpenSSH client into process jobs of an in-process agent through {@link JobSshServer}:
 * exec, a terminal, SFTP and scp, local forwarding, refused keys, revoked keys, ended jobs,
 * activity and the host key.
 */
class AgentSshTest {
  private static final Logger LOG = LoggerFactory.getLogger(AgentSshTest.class);

  @TempDir static Path dataDir;
  @TempDir static Path sshDir;
  @TempDir Path scratch;
  static TestAgent agent;
  static JobKeys keys;
  static JobSshServer server;
  static OpenSsh ssh;
  static final List<String> jobs = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    agent = TestAgent.start(dataDir);
    keys = new JobKeys();
    server =
        JobSshServer.start(
            JobSshServer.Settings.of(
                dataDir,
                new JobSshTargets(agent.handle.jobService(), System.getenv()),
                keys,
                null));
    ssh = OpenSsh.create(sshDir, server.port());
  }

  @AfterAll
  static void stop() {
    if (agent != null) {
      for (String job : jobs) {
        agent.client.stop(job, new StopRequest(true, null));
        agent.awaitFinished(job);
      }
    }
    if (server != null) {
      server.close();
    }
    if (agent != null) {
      agent.close();
    }
  }

  /** Starts a job that runs until stopped, authorizes the test key and waits for it to run. */
  private static void running(TestAgent.Builder job, String jobId) {
    agent.client.submit(job.build());
    jobs.add(jobId);
    agent.awaitState(jobId, state -> state.status() == JobStatus.RUNNING);
    keys.authorize(jobId, List.of(OpenSsh.publicKey(ssh.key)));
  }

  @Test
  void execRunsInTheJobsEnvironmentAndDirectoryAndReturnsItsExitStatus() {
    running(
        TestAgent.job("dev", "sleep 600")
            .env("BOSUN_RUN_NAME", "my-run")
            .env("GREETING", "it's \"quoted\"")
            .gpus(0, 1)
            .workingDir("src"),
        "dev");

    OpenSsh.Result result =
        OpenSsh.run(
            ssh.sshCommand(
                "dev",
                ssh.key,
                List.of("-o", "SetEnv=FROM_CLIENT=sent"),
                "echo \"$BOSUN_RUN_NAME|$GREETING|$CUDA_VISIBLE_DEVICES|$FROM_CLIENT|$USER\";"
                    + " pwd; echo to-stderr >&2; exit 3"),
            "");

    assertThat(result.exit()).as(result.toString()).isEqualTo(3);
    assertThat(result.out().lines().toList())
        .containsExactly(
            "my-run|it's \"quoted\"|0,1|sent|"
                + java.util.Objects.toString(System.getenv("USER"), ""),
            dataDir.resolve("jobs/dev/workdir/src").toString());
    assertThat(result.err()).isEqualTo("to-stderr\n");

    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      OpenSsh.Result echo = ssh.ssh("dev", "echo ok");
      assertThat(echo.out()).isEqualTo("ok\n");
      millis.add(echo.took().toMillis());
    }
    LOG.info("ssh exec round trips (connect, authenticate, run, exit) in ms: {}", millis);
  }

  @Test
  void stdinReachesTheCommandAndAShellWithoutTerminalReadsIt() {
    running(TestAgent.job("pipe", "sleep 600").shell("sh"), "pipe");

    OpenSsh.Result counted =
        OpenSsh.run(ssh.sshCommand("pipe", ssh.key, List.of(), "wc -l"), "a\nb\nc\n");
    OpenSsh.Result shell =
        OpenSsh.run(ssh.sshCommand("pipe", ssh.key, List.of("-T")), "echo from-shell; exit 6\n");

    assertThat(counted.out().strip()).isEqualTo("3");
    assertThat(shell.exit()).as(shell.toString()).isEqualTo(6);
    assertThat(shell.out()).contains("from-shell");
  }

  @Test
  void aShellGetsARealTerminalOfTheClientsSizeAndFollowsItsResizing() {
    running(TestAgent.job("tty", "sleep 600").shell("sh"), "tty");
    // the local ssh gets a terminal of its own from script(1), so that it sends its size; a
    // background stty resizes that terminal after a second, which ssh sends as window-change
    String sshLine = String.join(" ", quoted(ssh.sshCommand("tty", ssh.key, List.of("-tt"))));
    String local =
        "stty rows 40 cols 132; (sleep 1.5; stty rows 50 cols 100 </dev/tty) & " + sshLine;

    OpenSsh.Result result =
        OpenSsh.run(
            List.of("env", "TERM=xterm-256color", "script", "-qfec", local, "/dev/null"),
            "tty; echo \"term=$TERM\"; stty size; sleep 3; stty size; exit 4\n");

    assertThat(result.exit()).as(result.toString()).isEqualTo(4);
    String out = result.out().replace("\r", "");
    assertThat(out).containsPattern("/dev/pts/\\d+\n");
    assertThat(out).contains("term=xterm-256color\n");
    assertThat(out).contains("40 132\n");
    assertThat(out).contains("50 100\n");
  }

  @Test
  void sshTtWithoutALocalTerminalStillGetsARemoteOne() {
    running(TestAgent.job("tt", "sleep 600").shell("sh"), "tt");

    OpenSsh.Result result =
        OpenSsh.run(
            ssh.sshCommand("tt", ssh.key, List.of("-tt")), "tty; printf 'a\\tb\\n'; exit 2\n");

    assertThat(result.exit()).as(result.toString()).isEqualTo(2);
    assertThat(result.out()).containsPattern("/dev/pts/\\d+\r\n");
  }

  @Test
  void sftpAndScpCopyFilesInAndOutOfTheWorkingDirectory() throws Exception {
    running(TestAgent.job("files", "sleep 600"), "files");
    Path workdir = dataDir.resolve("jobs/files/workdir");
    Path upload = Files.writeString(scratch.resolve("up.txt"), "uploaded\n");
    Files.writeString(workdir.resolve("made-by-job.txt"), "from the job\n");

    OpenSsh.Result sftp =
        ssh.sftp(
            "files",
            "put "
                + upload
                + " in.txt\n"
                + "get made-by-job.txt "
                + scratch.resolve("down.txt")
                + "\n"
                + "mkdir sub\n");
    OpenSsh.Result scpIn = ssh.scp(upload.toString(), "files@127.0.0.1:sub/scp-in.txt");
    OpenSsh.Result scpOut =
        ssh.scp("files@127.0.0.1:made-by-job.txt", scratch.resolve("scp-out.txt").toString());

    assertThat(sftp.exit()).as(sftp.toString()).isZero();
    assertThat(scpIn.exit()).as(scpIn.toString()).isZero();
    assertThat(scpOut.exit()).as(scpOut.toString()).isZero();
    assertThat(Files.readString(workdir.resolve("in.txt"))).isEqualTo("uploaded\n");
    assertThat(Files.readString(workdir.resolve("sub/scp-in.txt"))).isEqualTo("uploaded\n");
    assertThat(Files.readString(scratch.resolve("down.txt"))).isEqualTo("from the job\n");
    assertThat(Files.readString(scratch.resolve("scp-out.txt"))).isEqualTo("from the job\n");
  }

  @Test
  void localForwardingReachesAPortTheJobServesAndNothingElse() throws Exception {
    int jobPort = OpenSsh.freePort();
    boolean busybox = Files.isExecutable(Path.of("/usr/bin/busybox"));
    com.sun.net.httpserver.HttpServer stand = null;
    if (busybox) {
      running(
          TestAgent.job(
              "web",
              "mkdir -p www && echo served-by-job > www/index.html",
              "exec busybox httpd -f -p 127.0.0.1:" + jobPort + " -h www"),
          "web");
    } else { // the job's port is served by this JVM instead
      stand =
          com.sun.net.httpserver.HttpServer.create(
              new java.net.InetSocketAddress("127.0.0.1", jobPort), 0);
      stand.createContext(
          "/",
          exchange -> {
            byte[] body = "served-by-job\n".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
      stand.start();
      running(TestAgent.job("web", "sleep 600"), "web");
    }
    int localPort = OpenSsh.freePort();
    Process tunnel =
        OpenSsh.background(
            ssh.sshCommand(
                "web",
                ssh.key,
                List.of(
                    "-N",
                    "-o",
                    "ExitOnForwardFailure=yes",
                    "-L",
                    localPort + ":localhost:" + jobPort)),
            scratch.resolve("tunnel.log"));
    try {
      String body = OpenSsh.awaitBody(localPort, "served-by-job\n");
      assertThat(body).isEqualTo("served-by-job\n");
    } finally {
      tunnel.destroy();
      if (stand != null) {
        stand.stop(0);
      }
    }

    // LogLevel INFO (the first value given wins) shows that the channel was refused
    List<String> stdio =
        new ArrayList<>(ssh.sshCommand("web", ssh.key, List.of("-W", "10.1.2.3:80")));
    stdio.addAll(1, List.of("-o", "LogLevel=INFO"));
    OpenSsh.Result elsewhere = OpenSsh.run(stdio, "");
    OpenSsh.Result remote =
        OpenSsh.run(
            ssh.sshCommand(
                "web",
                ssh.key,
                List.of("-N", "-o", "ExitOnForwardFailure=yes", "-R", "0:localhost:" + jobPort)),
            "");
    List<String> closed =
        new ArrayList<>(
            ssh.sshCommand("web", ssh.key, List.of("-W", "localhost:" + OpenSsh.freePort())));
    closed.addAll(1, List.of("-o", "LogLevel=INFO"));
    OpenSsh.Result refused = OpenSsh.run(closed, "");
    assertThat(elsewhere.exit()).isEqualTo(255);
    assertThat(elsewhere.err())
        .contains(
            "open failed: administratively prohibited: only ports of the job itself can be"
                + " forwarded (localhost:PORT), not 10.1.2.3");
    assertThat(refused.exit()).isEqualTo(255);
    assertThat(refused.err())
        .containsPattern(
            "open failed: connect failed: cannot connect to localhost:\\d+ in job web: Connection"
                + " refused");
    assertThat(remote.exit()).isEqualTo(255);
    assertThat(remote.err()).contains("remote port forwarding failed");
  }

  @Test
  void aKeyTheJobDoesNotHaveIsRefused() {
    running(TestAgent.job("mine", "sleep 600"), "mine");

    OpenSsh.Result other = OpenSsh.run(ssh.sshCommand("mine", ssh.otherKey, List.of(), "true"), "");
    OpenSsh.Result otherJob =
        OpenSsh.run(ssh.sshCommand("unknown", ssh.key, List.of(), "true"), "");

    assertThat(other.exit()).isEqualTo(255);
    assertThat(other.err()).contains("Permission denied (publickey)");
    assertThat(otherJob.exit()).isEqualTo(255);
    assertThat(otherJob.err()).contains("Permission denied (publickey)");
  }

  @Test
  void revokingAKeyRefusesNewSessionsAndClosesOpenOnesAtOnce() throws Exception {
    running(TestAgent.job("revoked", "sleep 600"), "revoked");
    Instant before = Instant.now();
    Process session =
        OpenSsh.background(
            ssh.sshCommand("revoked", ssh.key, List.of(), "sleep 60"), scratch.resolve("s.log"));
    await().atMost(Duration.ofSeconds(10)).until(() -> server.sessions("revoked") == 1);
    assertThat(server.lastActivity("revoked")).get().matches(at -> !at.isBefore(before));

    long revokedAt = System.nanoTime();
    keys.revoke("revoked");

    assertThat(session.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    long closedMillis = (System.nanoTime() - revokedAt) / 1_000_000;
    assertThat(session.exitValue()).isEqualTo(255);
    assertThat(Files.readString(scratch.resolve("s.log")))
        .contains("access to job revoked was revoked");
    await().atMost(Duration.ofSeconds(5)).until(() -> server.sessions("revoked") == 0);
    OpenSsh.Result again = ssh.ssh("revoked", "true");
    assertThat(again.exit()).isEqualTo(255);
    assertThat(again.err()).contains("Permission denied (publickey)");
    LOG.info("a revoked key's session closed {} ms after the revocation", closedMillis);
  }

  @Test
  void aJobThatEndedRefusesWithItsStateAndEndingClosesItsSessions() throws Exception {
    agent.client.submit(TestAgent.job("ended", "exit 3").build());
    agent.awaitFinished("ended");
    keys.authorize("ended", List.of(OpenSsh.publicKey(ssh.key)));
    running(TestAgent.job("stopped", "sleep 600"), "stopped");
    Process session =
        OpenSsh.background(
            ssh.sshCommand("stopped", ssh.key, List.of(), "sleep 60"), scratch.resolve("s.log"));
    await().atMost(Duration.ofSeconds(10)).until(() -> server.sessions("stopped") == 1);

    OpenSsh.Result ended = ssh.ssh("ended", "true");
    agent.client.stop("stopped", new StopRequest(false, null));

    assertThat(ended.exit()).isEqualTo(255);
    assertThat(ended.err())
        .contains("job ended is not running: it is failed (")
        .contains("exited with status 3");
    assertThat(session.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readString(scratch.resolve("s.log")))
        .contains("job stopped is not running: it is terminated (stopped_by_user");
    await().atMost(Duration.ofSeconds(5)).until(() -> server.sessions("stopped") == 0);
  }

  @Test
  void theHostKeyIsKeptPrivateAndSurvivesARestart() throws Exception {
    Path file = dataDir.resolve(JobSshServer.HOST_KEY_FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(Path.of(file + ".pub"))).startsWith(server.hostKey());
    running(TestAgent.job("pinned", "sleep 600"), "pinned");

    try (JobSshServer again =
        JobSshServer.start(
            JobSshServer.Settings.of(
                dataDir,
                new JobSshTargets(agent.handle.jobService(), System.getenv()),
                keys,
                null))) {
      assertThat(again.hostKey()).isEqualTo(server.hostKey()).startsWith("ssh-ed25519 ");
      Path knownHosts =
          Files.writeString(
              scratch.resolve("known_hosts"),
              "[127.0.0.1]:" + again.port() + " " + again.hostKey() + "\n");
      List<String> command = new ArrayList<>(List.of("ssh"));
      command.addAll(ssh.options(ssh.key, knownHosts));
      command.addAll(
          List.of("-p", Integer.toString(again.port()), "pinned@127.0.0.1", "echo pinned"));
      OpenSsh.Result result = OpenSsh.run(command, "");
      assertThat(result.out()).as(result.toString()).isEqualTo("pinned\n");
    }
  }

  private static List<String> quoted(List<String> words) {
    return words.stream().map(word -> "'" + word.replace("'", "'\\''") + "'").toList();
  }
}
