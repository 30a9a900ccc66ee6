package dev.bosun.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bosun.api.InstanceInfo;
import dev.bosun.api.RunInfo;
import dev.bosun.dist.hosts.TestHosts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * SSH fleets under failure and bad input, on real sshd hosts ({@link TestHosts}): host 3 has no
 * Java. Each bad host gets its own clear reason while good hosts are unaffected; the server and the
 * agent can die mid-run without losing the run or a log line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SshFleetRecoveryIT {
  private static final int LINES = 40;
  private TestHosts hosts;
  private BosunHarness bosun;

  @BeforeAll
  void start() throws Exception {
    hosts =
        TestHosts.builder()
            .hosts(3)
            .prefix("bosun-r")
            .subnet("10.77.8")
            .java("jdk,jdk,none")
            .start();
    bosun = new BosunHarness();
  }

  @AfterAll
  void stop() throws Exception {
    if (bosun != null) {
      bosun.close();
    }
    if (hosts != null) {
      hosts.close();
    }
  }

  private BosunHarness.Result applyFleet(String name, String hostsYaml, Path key) throws Exception {
    Path file =
        bosun.file(
            name + ".bosun.yml",
            ("type: fleet\nname: %s\nenv:\n  - FLEET_MARK=from-%s\nssh_config:\n  user: %s\n"
                    + "  identity_file: %s\n  hosts:\n%s")
                .formatted(name, name, hosts.user(), key, hostsYaml));
    return bosun.run("apply", "-y", "-f", file.toString());
  }

  private InstanceInfo instance(String fleet) throws Exception {
    return bosun.client().fleets("main").stream()
        .filter(f -> f.name().equals(fleet))
        .findFirst()
        .orElseThrow()
        .instances()
        .getFirst();
  }

  private Path newKey(String name, String passphrase) throws Exception {
    Path key = bosun.work.resolve(name);
    Process keygen =
        new ProcessBuilder(
                "ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-f", key.toString())
            .redirectErrorStream(true)
            .start();
    assertThat(keygen.waitFor()).isZero();
    return key;
  }

  @Test
  @Order(1)
  void aHostBehindAJumpHostIsProvisionedThroughIt() throws Exception {
    String yaml =
        "    - %s\n    - hostname: %s\n      proxy_jump:\n        hostname: %s\n"
            .formatted(hosts.host(1).ip(), hosts.host(2).ip(), hosts.host(1).ip());
    BosunHarness.Result apply = applyFleet("good", yaml, hosts.privateKey());
    assertThat(apply.code()).as(apply.toString()).isZero();
    assertThat(apply.err()).contains("2 host(s) ready");
    // internal_ip is not given: the agent's own address on the fleet's network is recorded.
    InstanceInfo first =
        bosun.client().fleets("main").stream()
            .filter(f -> f.name().equals("good"))
            .findFirst()
            .orElseThrow()
            .instances()
            .getFirst();
    assertThat(first.resources().internalIp()).startsWith("10.77.8.");
    Path marked =
        bosun.file(
            "marked.bosun.yml",
            "type: task\nname: marked\nfleets: [good]\nresources: {cpu: 1, memory: 1GB, gpu: 0}\n"
                + "env: [RUN_MARK=mine]\ncommands: ['echo \"$FLEET_MARK $RUN_MARK\"']\n");
    BosunHarness.Result run = bosun.run("apply", "-y", "-f", marked.toString());
    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.out()).as("the fleet's env reaches its jobs").contains("from-good mine");
  }

  @Test
  @Order(2)
  void badHostsGetOneClearReasonEach() throws Exception {
    String host3 = "    - " + hosts.host(3).ip() + "\n";
    BosunHarness.Result noJava = applyFleet("nojava", host3, hosts.privateKey());
    assertThat(noJava.code()).isEqualTo(1);
    assertThat(instance("nojava").message()).contains("no Java 21 or newer").contains("apt-get");

    BosunHarness.Result wrongKey = applyFleet("wrongkey", host3, newKey("stranger", ""));
    assertThat(wrongKey.code()).isEqualTo(1);
    assertThat(instance("wrongkey").message()).containsIgnoringCase("refused the key");

    BosunHarness.Result locked = applyFleet("locked", host3, newKey("locked", "secret"));
    assertThat(locked.code()).isEqualTo(1);
    assertThat(instance("locked").message()).contains("passphrase");

    BosunHarness.Result ghost = applyFleet("ghost", "    - 10.77.8.99\n", hosts.privateKey());
    assertThat(ghost.code()).as(ghost.toString()).isEqualTo(1);
    assertThat(instance("ghost").status()).isEqualTo("unreachable");
    assertThat(instance("ghost").message()).contains("10.77.8.99");

    TestHosts.Result full =
        hosts.exec(
            3,
            "sh",
            "-c",
            "mkdir -p /var/lib/bosun-agent && mount -t tmpfs -o size=1m tmpfs /var/lib/bosun-agent");
    assertThat(full.exitCode()).as(full.toString()).isZero();
    BosunHarness.Result diskFull =
        applyFleet(
            "full",
            host3.replace("    - ", "    - hostname: ") + "      user: root\n",
            hosts.privateKey());
    assertThat(diskFull.code()).as(diskFull.toString()).isEqualTo(1);
    assertThat(instance("full").message()).contains("MB free for /var/lib/bosun-agent");
    hosts.exec(3, "umount", "/var/lib/bosun-agent");

    BosunHarness.Result duplicate = applyFleet("twice", host3 + host3, hosts.privateKey());
    assertThat(duplicate.code()).isEqualTo(2);
    assertThat(duplicate.err()).contains("listed twice");

    // The good fleet was not disturbed by any of this.
    List<String> good =
        bosun.client().fleets("main").stream()
            .filter(f -> f.name().equals("good"))
            .findFirst()
            .orElseThrow()
            .instances()
            .stream()
            .map(InstanceInfo::status)
            .toList();
    assertThat(good).containsOnly("idle");
  }

  private Path countingTask(String name) throws Exception {
    return bosun.file(
        name + ".bosun.yml",
        """
        type: task
        name: %s
        fleets: [good]
        resources: {cpu: 1, memory: 1GB, gpu: 0}
        commands:
          - for i in $(seq 1 %d); do echo "line $i"; sleep 0.1; done
        """
            .formatted(name, LINES));
  }

  private static List<String> expectedLines() {
    return IntStream.rangeClosed(1, LINES).mapToObj(i -> "line " + i).toList();
  }

  @Test
  @Order(3)
  void serverKilledMidRunReconnectsToTheHostAndLosesNothing() throws Exception {
    assertThat(bosun.run("apply", "-y", "-d", "-f", countingTask("ssh-survivor").toString()).code())
        .isZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> bosun.run("logs", "ssh-survivor").out().contains("line 3"));
    BosunHarness.kill9(bosun.serverPid().orElseThrow());
    BosunHarness.Result follow = bosun.run("logs", "-f", "ssh-survivor");
    assertThat(follow.code()).as(follow.toString()).isZero();
    assertThat(follow.out().lines().toList()).containsExactlyElementsOf(expectedLines());
    RunInfo run =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> bosun.client().run("main", "ssh-survivor"), r -> r.finishedAt() != null);
    assertThat(run.status()).isEqualTo("done");
  }

  @Test
  @Order(4)
  void agentKilledOnTheHostIsRestartedAndRecoversTheJob() throws Exception {
    assertThat(bosun.run("apply", "-y", "-d", "-f", countingTask("ssh-orphan").toString()).code())
        .isZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> bosun.run("logs", "ssh-orphan").out().contains("line 3"));
    String host = bosun.client().run("main", "ssh-orphan").jobs().getLast().instance();
    int index =
        hosts.hosts().stream().filter(h -> h.ip().equals(host)).findFirst().orElseThrow().index();
    TestHosts.Result killed = hosts.exec(index, "pkill", "-9", "-f", "[d]ev.bosun.agent.AgentMain");
    assertThat(killed.exitCode()).as(killed.toString()).isZero();
    RunInfo run =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> bosun.client().run("main", "ssh-orphan"), r -> r.finishedAt() != null);
    assertThat(run.status()).isEqualTo("done");
    assertThat(bosun.run("logs", "ssh-orphan").out().lines().toList())
        .containsExactlyElementsOf(expectedLines());
  }

  @Test
  @Order(5)
  void aHostWhoseKeyChangedIsRefusedWithBothFingerprints() throws Exception {
    TestHosts.Host host = hosts.host(1);
    for (String type : List.of("ed25519", "ecdsa")) {
      Path key = host.dir().resolve("ssh_host_" + type + "_key");
      java.nio.file.Files.deleteIfExists(key);
      java.nio.file.Files.deleteIfExists(Path.of(key + ".pub"));
      Process keygen =
          new ProcessBuilder("ssh-keygen", "-q", "-t", type, "-N", "", "-f", key.toString())
              .redirectErrorStream(true)
              .start();
      assertThat(keygen.waitFor()).isZero();
    }
    new ProcessBuilder("kill", "-HUP", String.valueOf(host.sshdPid())).start().waitFor();
    Thread.sleep(500);
    // A changed setting makes the server connect to host 1 again, which now shows another key.
    String yaml =
        "    - hostname: %s\n      internal_ip: %s\n    - hostname: %s\n      proxy_jump:\n        hostname: %s\n"
            .formatted(host.ip(), host.ip(), hosts.host(2).ip(), host.ip());
    BosunHarness.Result apply = applyFleet("good", yaml, hosts.privateKey());
    assertThat(apply.code()).as(apply.toString()).isEqualTo(1);
    String message =
        bosun.client().fleets("main").stream()
            .filter(f -> f.name().equals("good"))
            .findFirst()
            .orElseThrow()
            .instances()
            .stream()
            .filter(i -> i.name().equals(host.ip()))
            .findFirst()
            .orElseThrow()
            .message();
    assertThat(message).contains("SHA256:").containsIgnoringCase("changed");
  }
}
