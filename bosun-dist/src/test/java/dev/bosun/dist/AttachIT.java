package dev.bosun.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bosun.api.BosunClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code bosun attach} in the foreground on the local fleet, with the real CLI, server, agent and
 * OpenSSH client: the run's ports forwarded to localhost and fetched over HTTP, a dropped
 * connection re-established, a stopped server waited for and the connection re-established once it
 * is back, the Include line added to ~/.ssh/config with consent, a taken local port refused, the
 * end of the run ending attach, and Ctrl-C detaching.
 */
class AttachIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern LOCAL_URL = Pattern.compile("http://localhost:(\\d+)");

  private BosunHarness bosun;
  private BosunClient admin;
  private Path userHome;

  @BeforeEach
  void start() throws Exception {
    bosun = new BosunHarness();
    userHome = Files.createTempDirectory("bosun-user-home-");
  }

  @AfterEach
  void stop() throws Exception {
    bosun.close();
  }

  /** A process run that serves {@code text} over HTTP on {@code port} (busybox httpd). */
  private void webRun(String name, int port, String ports, String text) throws Exception {
    Path file =
        bosun.file(
            name + ".bosun.yml",
            "type: task\nname: "
                + name
                + "\nresources: {cpu: 1, memory: 0.2GB}\nports: ["
                + ports
                + "]\ncommands:\n  - mkdir -p www && echo '"
                + text
                + "' > www/index.html && echo serving www\n  - exec busybox httpd -f -p 127.0.0.1:"
                + port
                + " -h www\n");
    BosunHarness.Result apply = bosun.run("apply", "-y", "-d", "-f", file.toString());
    assertThat(apply.code()).as(apply.toString()).isZero();
    admin = bosun.client();
    await().atMost(TIMEOUT).until(() -> admin.run("main", name), r -> r.status().equals("running"));
  }

  /** {@code bosun attach ...} running in the background, its output collected as it comes. */
  private Live attach(String... args) throws IOException {
    String[] command = new String[args.length + 1];
    command[0] = "attach";
    System.arraycopy(args, 0, command, 1, args.length);
    return new Live(bosun.start(Map.of("JAVA_TOOL_OPTIONS", "-Duser.home=" + userHome), command));
  }

  @Test
  void forwardsTheRunsPortsThroughDropsAndAServerRestartUntilTheRunEnds() throws Exception {
    int jobPort = freePort();
    webRun("web", jobPort, "'*:" + jobPort + "'", "hello from web");

    Live attach = attach("web", "--include-ssh-config", "--logs");
    attach.awaitOut(Pattern.compile("serving www")); // --logs: the run's log while attached
    int local = Integer.parseInt(attach.awaitOut(LOCAL_URL).group(1));
    assertThat(local).as("*: takes any free local port").isNotEqualTo(jobPort);
    assertThat(awaitGet(local)).isEqualTo("hello from web\n");
    assertThat(attach.out()).contains("ssh web").contains("vscode://vscode-remote/ssh-remote+web/");
    assertThat(Files.readAllLines(userHome.resolve(".ssh/config")))
        .startsWith(
            "# Added by bosun attach: SSH into Bosun runs by their names",
            "Include " + bosun.home.resolve("ssh/config"));

    // The connection drops (its ssh is killed): attach says so and connects again.
    List<ProcessHandle> ssh = sshOf(attach);
    assertThat(ssh).hasSize(1);
    ssh.get(0).destroy();
    attach.awaitErr(Pattern.compile("dropped .*reconnecting"));
    await().atMost(TIMEOUT).until(() -> sshOf(attach).size() == 1 && !sshOf(attach).equals(ssh));
    assertThat(awaitGet(local)).isEqualTo("hello from web\n");

    // The server stops (its jobs keep running) and the connection through it goes: attach says it
    // cannot reach the server and waits for it. Any CLI command starts the server again, and
    // attach connects again through it.
    long server = bosun.serverPid().orElseThrow();
    long agent = bosun.agentPid().orElseThrow();
    BosunHarness.Result stopped = bosun.run("server", "stop");
    assertThat(stopped.code()).as(stopped.toString()).isZero();
    attach.awaitErr(
        Pattern.compile("Cannot reach the server \\(.*connection refused\\); retrying"));
    await().atMost(TIMEOUT).until(() -> sshOf(attach).isEmpty());
    assertThat(attach.process.isAlive()).as(attach.err()).isTrue();
    BosunHarness.Result restarted = bosun.run("ps");
    assertThat(restarted.code()).as(restarted.toString()).isZero();
    assertThat(restarted.err()).contains("Starting the Bosun server in the background");
    assertThat(bosun.serverPid()).isPresent().isNotEqualTo(java.util.Optional.of(server));
    assertThat(bosun.agentPid()).contains(agent);
    attach.awaitErr(
        Pattern.compile("Cannot reach the server .*\\n(?s:.*)dropped .*reconnecting in \\d+ s"));
    await().atMost(TIMEOUT).until(() -> sshOf(attach).size() == 1);
    assertThat(awaitGet(local)).isEqualTo("hello from web\n");

    // The run is stopped elsewhere: attach ends with the run's outcome.
    admin.stop("main", "web", false);
    assertThat(attach.process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(attach.process.exitValue()).isEqualTo(1);
    attach.awaitErr(Pattern.compile("Run web terminated: stopped by the user"));
    assertThat(sshOf(attach)).isEmpty();
  }

  @Test
  void aTakenLocalPortIsAClearErrorAndCtrlCDetaches() throws Exception {
    int jobPort = freePort();
    int localPort = freePort();
    // LOCAL:PORT; on the local fleet the job itself holds its port on this machine.
    webRun("fixed", jobPort, "'" + localPort + ":" + jobPort + "'", "fixed");
    try (ServerSocket taken = new ServerSocket(localPort, 1, InetAddress.getLoopbackAddress())) {
      Live refused = attach("fixed");
      assertThat(refused.process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(refused.process.exitValue()).as(refused.err()).isEqualTo(2);
      assertThat(refused.err())
          .contains(
              "cannot forward port \""
                  + localPort
                  + ":"
                  + jobPort
                  + "\" of run fixed: local port "
                  + localPort
                  + " cannot be used")
          .contains("write \"*:" + jobPort + "\" in the run's ports");
    }
    assertThat(userHome.resolve(".ssh/config")).as("not asked, not added").doesNotExist();

    // The port is free again. Ctrl-C detaches.
    Live attach = attach("fixed");
    assertThat(attach.awaitOut(LOCAL_URL).group(1)).isEqualTo(String.valueOf(localPort));
    assertThat(awaitGet(localPort)).isEqualTo("fixed\n");
    assertThat(attach.out()).contains("ssh -F " + bosun.home.resolve("ssh/config") + " fixed");
    // SIGINT as Ctrl-C sends (Process.destroy would close the pipes the goodbye goes to).
    Process ctrlC =
        new ProcessBuilder("kill", "-INT", String.valueOf(attach.process.pid())).start();
    assertThat(ctrlC.waitFor()).isZero();
    assertThat(attach.process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    attach.awaitErr(Pattern.compile("Detached from fixed; it keeps running\\."));
    assertThat(admin.run("main", "fixed").status()).isEqualTo("running");
    await().atMost(TIMEOUT).until(() -> sshOf(attach).isEmpty());
  }

  @Test
  void aDevEnvironmentStaysUpWhileAttachedAndEndsWhenLeftAlone() throws Exception {
    bosun.withEnv("BOSUN_MIN_INACTIVITY_DURATION", "2s");
    int jobPort = freePort();
    String dev =
        "type: dev-environment\nname: %s\nide: cursor\ninactivity_duration: %s\n"
            + "resources: {cpu: 1, memory: 0.2GB}\nports: ['*:"
            + jobPort
            + "']\ninit:\n  - mkdir -p www && echo dev > www/index.html\n"
            + "  - (busybox httpd -f -p 127.0.0.1:"
            + jobPort
            + " -h www &)\n";

    BosunHarness.Result tooShort =
        bosun.run(
            "apply",
            "-y",
            "-d",
            "-f",
            bosun.file("short.yml", dev.formatted("short", "1s")).toString());
    assertThat(tooShort.code()).as(tooShort.toString()).isEqualTo(2);
    assertThat(tooShort.err())
        .contains("inactivity_duration: 1s is below this server's minimum of 2s");

    // Nobody connects: it ends after its inactivity_duration.
    BosunHarness.Result lonely =
        bosun.run(
            "apply",
            "-y",
            "-d",
            "-f",
            bosun.file("lonely.yml", dev.formatted("lonely", "3s")).toString());
    assertThat(lonely.code()).as(lonely.toString()).isZero();
    admin = bosun.client();
    await().atMost(TIMEOUT).until(() -> admin.run("main", "lonely"), r -> r.finishedAt() != null);
    assertThat(admin.run("main", "lonely").terminationReason())
        .isEqualTo("inactivity_duration_exceeded");

    // bosun apply stays attached: the port is forwarded and the environment stays up well past
    // its inactivity_duration; after Ctrl-C it ends on its own.
    Live apply =
        new Live(
            bosun.start(
                Map.of(),
                "apply",
                "-y",
                "-f",
                bosun.file("busy.yml", dev.formatted("busy", "3s")).toString()));
    int local = Integer.parseInt(apply.awaitErr(LOCAL_URL).group(1));
    assertThat(awaitGet(local)).isEqualTo("dev\n");
    assertThat(apply.err()).contains("Cursor: cursor://vscode-remote/ssh-remote+busy/");
    Thread.sleep(8000); // well past inactivity_duration, attached all along
    assertThat(admin.run("main", "busy").status()).isEqualTo("running");
    assertThat(awaitGet(local)).isEqualTo("dev\n");
    assertThat(
            new ProcessBuilder("kill", "-INT", String.valueOf(apply.process.pid()))
                .start()
                .waitFor())
        .isZero();
    apply.awaitErr(Pattern.compile("Detached; the run keeps going"));
    await().atMost(TIMEOUT).until(() -> admin.run("main", "busy"), r -> r.finishedAt() != null);
    assertThat(admin.run("main", "busy").terminationReason())
        .isEqualTo("inactivity_duration_exceeded");
  }

  /** The {@code ssh -N} children of an attach process. */
  private List<ProcessHandle> sshOf(Live attach) {
    return attach
        .process
        .descendants()
        .filter(
            p ->
                p.info().command().orElse("").endsWith("/ssh")
                    && p.info().commandLine().orElse("").contains(" -N "))
        .toList();
  }

  private static String awaitGet(int port) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String[] body = new String[1];
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () -> {
              HttpResponse<String> response =
                  http.send(
                      HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                          .timeout(Duration.ofSeconds(5))
                          .build(),
                      HttpResponse.BodyHandlers.ofString());
              body[0] = response.body();
              return response.statusCode() == 200;
            });
    return body[0];
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** A CLI process whose output is read as it comes. */
  static final class Live {
    final Process process;
    private final StringBuffer out = new StringBuffer();
    private final StringBuffer err = new StringBuffer();
    private final Thread outReader;
    private final Thread errReader;

    Live(Process process) {
      this.process = process;
      outReader = drain(process.getInputStream(), out);
      errReader = drain(process.getErrorStream(), err);
    }

    private static Thread drain(InputStream in, StringBuffer into) {
      return Thread.ofVirtual()
          .start(
              () -> {
                byte[] buffer = new byte[4096];
                try {
                  for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    into.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                  }
                } catch (IOException e) {
                  // the process ended
                }
              });
    }

    String out() {
      return out.toString();
    }

    String err() {
      return err.toString();
    }

    Matcher awaitOut(Pattern pattern) {
      return awaitIn(out, pattern);
    }

    Matcher awaitErr(Pattern pattern) {
      return awaitIn(err, pattern);
    }

    private Matcher awaitIn(StringBuffer buffer, Pattern pattern) {
      Matcher[] found = new Matcher[1];
      await()
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(100))
          .alias("'" + pattern + "' in the output of attach; out: " + out + " err: " + err)
          .until(
              () -> {
                Matcher matcher = pattern.matcher(buffer.toString());
                if (matcher.find()) {
                  found[0] = matcher;
                  return true;
                }
                // Once the process and the readers are done, nothing more will come.
                if (process.isAlive() || outReader.isAlive() || errReader.isAlive()) {
                  return false;
                }
                Matcher last = pattern.matcher(buffer.toString());
                found[0] = last.find() ? last : null;
                return true;
              });
      assertThat(found[0])
          .as("'%s' in the output of attach; out: %s err: %s", pattern, out, err)
          .isNotNull();
      return found[0];
    }
  }
}
