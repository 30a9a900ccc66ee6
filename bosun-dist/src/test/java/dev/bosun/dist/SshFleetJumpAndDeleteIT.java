package dev.bosun.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bosun.api.InstanceInfo;
import dev.bosun.api.JobInfo;
import dev.bosun.api.RunInfo;
import dev.bosun.dist.hosts.TestHosts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * SSH fleets through {@code bosun apply} on real sshd hosts ({@link TestHosts}): host 1 is only a
 * jump host, host 2 is reached through it, host 3 directly. A jump host that is down fails only the
 * host behind it, with a reason that names the jump host; deleting a fleet while a job runs is
 * refused, and with {@code --force} ends the job and leaves nothing of Bosun on the hosts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SshFleetJumpAndDeleteIT {
  private static final String FLEET = "jumpy";
  private TestHosts hosts;
  private BosunHarness bosun;

  @BeforeAll
  void start() throws Exception {
    // Own prefix and subnet: other SSH ITs may run on this machine at the same time.
    hosts = TestHosts.builder().hosts(3).prefix("bosun-j").subnet("10.77.31").start();
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

  /** Host 3 directly, host 2 through host 1 on {@code jumpPort}. */
  private Path fleetFile(int jumpPort) throws Exception {
    return bosun.file(
        FLEET + ".bosun.yml",
        """
        type: fleet
        name: %s
        ssh_config:
          user: %s
          identity_file: %s
          hosts:
            - %s
            - hostname: %s
              proxy_jump:
                hostname: %s
                port: %d
        """
            .formatted(
                FLEET,
                hosts.user(),
                hosts.privateKey(),
                hosts.host(3).ip(),
                hosts.host(2).ip(),
                hosts.host(1).ip(),
                jumpPort));
  }

  private BosunHarness.Result apply(Path file) throws Exception {
    return bosun.run("apply", "-y", "-f", file.toString());
  }

  private List<InstanceInfo> instances() throws Exception {
    return bosun.client().fleets("main").stream()
        .filter(f -> f.name().equals(FLEET))
        .findFirst()
        .orElseThrow()
        .instances();
  }

  private InstanceInfo instance(int hostIndex) throws Exception {
    String ip = hosts.host(hostIndex).ip();
    return instances().stream().filter(i -> i.name().equals(ip)).findFirst().orElseThrow();
  }

  /** The line {@code apply} or {@code bosun fleet} printed for host {@code index}. */
  private String lineOf(String output, int index) {
    String ip = hosts.host(index).ip();
    return output
        .lines()
        .filter(l -> l.contains(ip + " "))
        .reduce((first, last) -> last)
        .orElseThrow(() -> new AssertionError("no line for " + ip + " in:\n" + output));
  }

  private void assertNoAgentDir(int index) {
    TestHosts.Result dir = hosts.exec(index, "sh", "-c", "ls -A /var/lib/bosun-agent 2>&1");
    assertThat(dir.exitCode()).as("host %d: %s", index, dir).isNotZero();
    assertThat(dir.out()).contains("No such file or directory");
  }

  private void assertJumpHostFailure(BosunHarness.Result apply, String jump, String why)
      throws Exception {
    assertThat(apply.code()).as(apply.toString()).isEqualTo(1);
    assertThat(apply.err()).contains("1 host(s) ready, 1 failed").doesNotContain("Exception");
    InstanceInfo behind = instance(2);
    assertThat(behind.status()).isEqualTo("unreachable");
    String expected =
        "cannot use the jump host " + jump + " to reach " + hosts.host(2).ip() + ":22: ";
    assertThat(behind.message())
        .as("names the jump host and why it could not be reached")
        .startsWith(expected)
        .contains(why)
        .doesNotContain("Exception")
        .doesNotContain("\n");
    // The same reason on the host's line of apply and of 'bosun fleet'.
    assertThat(lineOf(apply.err(), 2)).contains("unreachable: " + expected).contains(why);
    BosunHarness.Result fleet = bosun.run("fleet");
    assertThat(fleet.code()).isZero();
    assertThat(lineOf(fleet.out(), 2)).contains("unreachable").contains(expected);
    // The directly reachable host is not affected.
    assertThat(instance(3).status()).isEqualTo("idle");
    assertThat(lineOf(apply.err(), 3)).contains("idle");
    // Nothing was installed behind the jump host, nor on the jump host, which is only a hop.
    assertNoAgentDir(2);
    assertNoAgentDir(1);
  }

  @Test
  @Order(1)
  void aJumpHostWhereNothingListensFailsOnlyTheHostBehindIt() throws Exception {
    String jump = hosts.host(1).ip() + ":2222";
    BosunHarness.Result apply = apply(fleetFile(2222));
    assertJumpHostFailure(apply, jump, "nothing is listening on " + jump + " (connection refused)");

    Path task =
        bosun.file(
            "where.bosun.yml",
            "type: task\nname: where\nfleets: [%s]\nresources: {cpu: 1, memory: 1GB, gpu: 0}\n"
                    .formatted(FLEET)
                + "commands: [hostname]\n");
    BosunHarness.Result run = bosun.run("apply", "-y", "-f", task.toString());
    assertThat(run.code()).as(run.toString()).isZero();
    assertThat(run.out()).contains(hosts.host(3).name());
  }

  @Test
  @Order(2)
  void aJumpHostThatIsCutOffFailsOnlyTheHostBehindItUntilItIsBack() throws Exception {
    String jump = hosts.host(1).ip() + ":22";
    Path file = fleetFile(22);
    BosunHarness.Result plan = bosun.run("apply", "--dry-run", "-f", file.toString());
    assertThat(plan.out()).containsPattern(hosts.host(2).ip() + "\\s+update");
    assertThat(plan.out()).containsPattern(hosts.host(3).ip() + "\\s+keep");

    hosts.cut(1);
    try {
      BosunHarness.Result cut = apply(file);
      assertJumpHostFailure(cut, jump, jump);
      // Its link down, the jump host does not answer: the connection times out (or, once ARP has
      // given up on it, there is no route).
      assertThat(instance(2).message())
          .containsAnyOf(jump + " did not accept a connection within 10 s", "no route to " + jump);
    } finally {
      hosts.restore(1);
    }

    // Back on the network: applying the same file again tries the unreachable host at once (not
    // after its back-off) and reports this attempt's outcome.
    BosunHarness.Result again = apply(file);
    assertThat(again.code()).as(again.toString()).isZero();
    assertThat(again.out()).containsPattern(hosts.host(2).ip() + "\\s+keep\\s+unreachable");
    assertThat(again.err()).contains("2 host(s) ready").doesNotContain("failed");
    assertThat(instance(2).status()).isEqualTo("idle");
    assertThat(instance(2).message()).isNull();
    TestHosts.Result agent = hosts.exec(2, "sh", "-c", "ls /var/lib/bosun-agent");
    assertThat(agent.out()).contains("bosun.jar").contains("supervise.sh");
    assertNoAgentDir(1);
  }

  private String processes(int index) {
    return hosts.exec(index, "ps", "-eo", "args").out();
  }

  @Test
  @Order(3)
  void aHostLeavingTheFleetEndsItsJobKillsItsProcessesAndKeepsItsLog() throws Exception {
    Path task =
        bosun.file(
            "long.bosun.yml",
            "type: task\nname: long\nfleets: [%s]\nresources: {cpu: 1, memory: 1GB, gpu: 0}\n"
                    .formatted(FLEET)
                + "commands: ['echo started; sleep 987']\n");
    assertThat(bosun.run("apply", "-y", "-d", "-f", task.toString()).code()).isZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> bosun.run("logs", "long").out().contains("started"));
    String host = bosun.client().run("main", "long").jobs().getLast().instance();
    int index =
        hosts.hosts().stream().filter(h -> h.ip().equals(host)).findFirst().orElseThrow().index();
    await().atMost(Duration.ofSeconds(10)).until(() -> processes(index).contains("sleep 987"));

    // The file without the job's host: the host leaves the fleet, its job is ended and every
    // process the job started is killed, and its log is kept on the server.
    int other = index == 2 ? 3 : 2;
    String kept =
        other == 3
            ? "    - " + hosts.host(3).ip() + "\n"
            : "    - hostname: %s\n      proxy_jump:\n        hostname: %s\n        port: 22\n"
                .formatted(hosts.host(2).ip(), hosts.host(1).ip());
    Path smaller =
        bosun.file(
            FLEET + "-smaller.bosun.yml",
            "type: fleet\nname: %s\nssh_config:\n  user: %s\n  identity_file: %s\n  hosts:\n%s"
                .formatted(FLEET, hosts.user(), hosts.privateKey(), kept));
    BosunHarness.Result reapplied = apply(smaller);
    assertThat(reapplied.code()).as(reapplied.toString()).isZero();
    RunInfo run =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> bosun.client().run("main", "long"), r -> r.finishedAt() != null);
    assertThat(run.status()).isEqualTo("terminated");
    JobInfo job = run.jobs().getLast();
    assertThat(job.status()).isEqualTo("aborted");
    assertThat(job.terminationReason()).isEqualTo("aborted_by_user");
    assertThat(job.message()).isEqualTo("its host left the fleet");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> instance(index).status().equals("terminated"));
    assertThat(instance(index).message()).isEqualTo("removed from the fleet");
    assertThat(processes(index))
        .doesNotContain("AgentMain")
        .doesNotContain("supervise.sh")
        .doesNotContain("sleep 987");
    assertNoAgentDir(index);
    BosunHarness.Result logs = bosun.run("logs", "long");
    assertThat(logs.code()).as(logs.toString()).isZero();
    assertThat(logs.out()).as("the log outlives its host").contains("started");

    // Deleting the fleet, with no job left on it, removes the last host and the fleet itself.
    BosunHarness.Result deleted = bosun.run("fleet", "delete", FLEET);
    assertThat(deleted.code()).as(deleted.toString()).isZero();
    assertThat(deleted.out()).contains("Deleted fleet " + FLEET);
    assertThat(bosun.run("fleet").out()).doesNotContain(FLEET + " ");
    assertThat(processes(other)).doesNotContain("AgentMain").doesNotContain("supervise.sh");
    assertNoAgentDir(other);
  }
}
