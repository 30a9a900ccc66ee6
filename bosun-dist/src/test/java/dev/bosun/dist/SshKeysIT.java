package dev.bosun.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bosun.api.AddSshKeyRequest;
import dev.bosun.api.ApiException;
import dev.bosun.api.BosunClient;
import dev.bosun.api.RunInfo;
import dev.bosun.api.agent.AgentClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A user's SSH keys reach the agent of every running job of their projects, and only while they are
 * there: the real OpenSSH client enters a job on the local fleet through the agent's SSH server
 * (reached directly on this machine's loopback here; the path through the server comes with {@code
 * bosun attach}), and a removed key is refused at once.
 */
class SshKeysIT {
  private BosunHarness bosun;
  private Path key;

  @BeforeEach
  void start() throws Exception {
    bosun = new BosunHarness();
    key = bosun.work.resolve("id_ed25519");
    Process keygen =
        new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
            .redirectErrorStream(true)
            .start();
    assertThat(keygen.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(keygen.exitValue()).isZero();
  }

  @AfterEach
  void stop() throws Exception {
    bosun.close();
  }

  private BosunHarness.Result ssh(int port, String user, String command) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "ssh",
                "-p",
                String.valueOf(port),
                "-i",
                key.toString(),
                "-o",
                "StrictHostKeyChecking=no",
                "-o",
                "UserKnownHostsFile=/dev/null",
                "-o",
                "IdentitiesOnly=yes",
                "-o",
                "BatchMode=yes",
                "-o",
                "LogLevel=ERROR",
                user + "@127.0.0.1",
                command));
    return BosunHarness.await(
        new ProcessBuilder(args)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start(),
        Duration.ofSeconds(30));
  }

  @Test
  void aMembersKeyEntersTheRunningJobUntilItIsRemoved() throws Exception {
    Path task =
        bosun.file(
            "dev.bosun.yml",
            "type: task\nname: box\nresources: {cpu: 1, memory: 0.2GB}\ncommands: ['sleep 120']\n");
    assertThat(bosun.run("apply", "-y", "-d", "-f", task.toString()).code()).isZero();
    BosunClient admin = bosun.client();
    RunInfo running =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> admin.run("main", "box"), r -> r.status().equals("running"));
    String jobId = running.jobs().getFirst().id();

    assertThatThrownBy(
            () ->
                admin.addSshKey(
                    new AddSshKeyRequest("laptop", "-----BEGIN OPENSSH PRIVATE KEY-----")))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.getMessage()).contains("never a private key"));
    String publicKey = Files.readString(Path.of(key + ".pub")).strip();
    var added = admin.addSshKey(new AddSshKeyRequest("laptop", publicKey));
    assertThat(added.fingerprint()).startsWith("SHA256:");

    // The local agent's SSH port, from its own /info (this test runs on the agent's machine).
    Path agentDir = bosun.home.resolve("agent");
    JsonNode agentFile =
        dev.bosun.api.Json.mapper().readTree(agentDir.resolve("agent.json").toFile());
    AgentClient agent =
        new AgentClient(
            URI.create("http://127.0.0.1:" + agentFile.path("port").asInt()),
            Files.readString(agentDir.resolve("token")).strip(),
            HttpClient.newHttpClient());
    int sshPort = agent.info().sshPort();

    BosunHarness.Result entered = ssh(sshPort, jobId, "echo \"$BOSUN_RUN_NAME in $BOSUN_PROJECT\"");
    assertThat(entered.code()).as(entered.toString()).isZero();
    assertThat(entered.out()).isEqualTo("box in main\n");

    admin.deleteSshKey("laptop");
    BosunHarness.Result refused = ssh(sshPort, jobId, "true");
    assertThat(refused.code()).as(refused.toString()).isNotZero();
    assertThat(refused.err()).contains("Permission denied");
    admin.stop("main", "box", true);
  }

  @Test
  void attachSetsUpPlainSshIntoTheJobThroughTheServer() throws Exception {
    Path task =
        bosun.file(
            "box.bosun.yml",
            "type: task\nname: box\nresources: {cpu: 1, memory: 0.2GB}\n"
                + "env: [GREETING=hi]\ncommands: ['sleep 120']\n");
    assertThat(bosun.run("apply", "-y", "-d", "-f", task.toString()).code()).isZero();
    BosunClient admin = bosun.client();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> admin.run("main", "box"), r -> r.status().equals("running"));

    BosunHarness.Result attach = bosun.run("attach", "-d", "box");
    assertThat(attach.code()).as(attach.toString()).isZero();
    Path config = bosun.home.resolve("ssh/config");
    assertThat(attach.out())
        .contains("ssh -F " + config + " box")
        .contains("vscode://vscode-remote/ssh-remote+box/");
    assertThat(admin.sshKeys()).hasSize(1);

    // Plain OpenSSH with the written config: the ProxyCommand carries it through the server.
    Process ssh =
        new ProcessBuilder(
                "ssh",
                "-F",
                config.toString(),
                "-o",
                "BatchMode=yes",
                "box",
                "echo \"$GREETING from $BOSUN_RUN_NAME\"; pwd")
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    BosunHarness.Result entered = BosunHarness.await(ssh, Duration.ofSeconds(60));
    assertThat(entered.code()).as(entered.toString()).isZero();
    assertThat(entered.out()).startsWith("hi from box\n");

    BosunHarness.Result again = bosun.run("attach", "-d", "box");
    assertThat(again.code()).isZero();
    assertThat(admin.sshKeys()).as("the CLI's key is registered once").hasSize(1);

    admin.stop("main", "box", true);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> admin.run("main", "box"), r -> r.finishedAt() != null);
    BosunHarness.Result ended = bosun.run("attach", "-d", "box");
    assertThat(ended.code()).isNotZero();
    assertThat(ended.err())
        .contains("run box is terminated (aborted by the user): there is nothing to attach to");
  }
}
