package dev.bosun.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bosun.api.FleetInfo;
import dev.bosun.api.InstanceInfo;
import dev.bosun.api.JobInfo;
import dev.bosun.api.RunInfo;
import dev.bosun.dist.hosts.TestHosts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * SSH fleets on three real hosts (network namespaces with real OpenSSH sshd, see {@link
 * TestHosts}): host 1 has 8×H100, host 2 4×A100, host 3 no GPU. The only fake is each host's {@code
 * nvidia-smi} stand-in. Tests run in order on one fleet.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SshFleetIT {
  private TestHosts hosts;
  private BosunHarness bosun;

  @BeforeAll
  void start() throws Exception {
    hosts = TestHosts.builder().hosts(3).prefix("bosun-f").subnet("10.77.7").start();
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

  private Path fleetFile(String name, int... hostIndexes) throws Exception {
    StringBuilder yaml =
        new StringBuilder(
            "type: fleet\nname: "
                + name
                + "\nssh_config:\n  user: "
                + hosts.user()
                + "\n  identity_file: "
                + hosts.privateKey()
                + "\n  hosts:\n");
    for (int index : hostIndexes) {
      yaml.append("    - ").append(hosts.host(index).ip()).append('\n');
    }
    return bosun.file(name + ".bosun.yml", yaml.toString());
  }

  private FleetInfo fleet(String name) throws Exception {
    return bosun.client().fleets("main").stream()
        .filter(f -> f.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private InstanceInfo instance(String fleet, int hostIndex) throws Exception {
    String ip = hosts.host(hostIndex).ip();
    return fleet(fleet).instances().stream()
        .filter(i -> i.name().equals(ip))
        .findFirst()
        .orElseThrow();
  }

  @Test
  @Order(1)
  void applyProvisionsThreeHostsInParallelAndShowsTheirGpus() throws Exception {
    long start = System.nanoTime();
    BosunHarness.Result apply =
        bosun.run("apply", "-y", "-f", fleetFile("rack", 1, 2, 3).toString());
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.println("provisioned 3 hosts in " + millis + " ms (server start included)");
    assertThat(apply.code()).as(apply.toString()).isZero();
    assertThat(apply.err()).contains("installing the agent").contains("3 host(s) ready");
    assertThat(instance("rack", 1).resources().gpus()).hasSize(8);
    assertThat(instance("rack", 2).resources().gpus()).hasSize(4);
    assertThat(instance("rack", 3).resources().gpus()).isEmpty();
    assertThat(instance("rack", 1).status()).isEqualTo("idle");
    BosunHarness.Result fleet = bosun.run("fleet");
    assertThat(fleet.out()).contains("8×H100 80GB HBM3").contains("4×A100-SXM4-40GB");
    // The agent listens on the host's loopback only, reached through the SSH tunnel.
    TestHosts.Result listening = hosts.exec(1, "sh", "-c", "ss -ltnp | grep java || true");
    assertThat(listening.out())
        .containsPattern("127\\.0\\.0\\.1\\]?:\\d+")
        .doesNotContain("0.0.0.0:");
  }

  @Test
  @Order(2)
  void gpuRunsLandWhereTheirGpusAreWithExactlyThoseGpus() throws Exception {
    Path h100 =
        bosun.file(
            "h100.bosun.yml",
            """
            type: task
            name: on-h100
            fleets: [rack]
            resources: {cpu: 1, memory: 1GB, gpu: H100:2}
            commands:
              - hostname
              - 'echo "cuda=$CUDA_VISIBLE_DEVICES"'
            """);
    BosunHarness.Result first = bosun.run("apply", "-y", "-f", h100.toString());
    assertThat(first.code()).as(first.toString()).isZero();
    assertThat(first.out()).contains(hosts.host(1).name()).contains("cuda=0,1");
    Path a100 =
        bosun.file(
            "a100.bosun.yml",
            """
            type: task
            name: on-a100
            resources: {cpu: 1, memory: 1GB, gpu: A100}
            commands: [hostname]
            """);
    BosunHarness.Result second = bosun.run("apply", "-y", "-f", a100.toString());
    assertThat(second.code()).as(second.toString()).isZero();
    assertThat(second.out()).contains(hosts.host(2).name());
    RunInfo run = bosun.client().run("main", "on-a100");
    assertThat(run.jobs().getFirst().instance()).isEqualTo(hosts.host(2).ip());

    // nvidia-smi's compute_cap: 9.0 on the H100s, 8.0 on the A100s.
    assertThat(instance("rack", 1).resources().gpus().getFirst().computeCapability())
        .isEqualTo("9.0");
    Path hopper =
        bosun.file(
            "hopper.bosun.yml",
            """
            type: task
            name: on-hopper
            resources: {cpu: 1, memory: 1GB, gpu: {compute_capability: 8.9}}
            commands: ['echo "cuda=$CUDA_VISIBLE_DEVICES"']
            """);
    BosunHarness.Result third = bosun.run("apply", "-y", "-f", hopper.toString());
    assertThat(third.code()).as(third.toString()).isZero();
    assertThat(bosun.client().run("main", "on-hopper").jobs().getFirst().instance())
        .isEqualTo(hosts.host(1).ip());
  }

  @Test
  @Order(3)
  void aLostHostIsUnreachableWithinSecondsAndItsRetryableRunMovesElsewhere() throws Exception {
    Path file =
        bosun.file(
            "mover.bosun.yml",
            """
            type: task
            name: mover
            fleets: [rack]
            retry:
              on_events: [interruption]
            resources: {cpu: 1, memory: 1GB, gpu: 0}
            commands:
              - hostname; sleep 300
            """);
    assertThat(bosun.run("apply", "-y", "-d", "-f", file.toString()).code()).isZero();
    RunInfo running =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> bosun.client().run("main", "mover"), r -> r.status().equals("running"));
    String firstHost = running.jobs().getLast().instance();
    int index =
        hosts.hosts().stream()
            .filter(h -> h.ip().equals(firstHost))
            .findFirst()
            .orElseThrow()
            .index();
    long cut = System.nanoTime();
    hosts.cut(index);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> instance("rack", index).status().equals("unreachable"));
    System.out.println("unreachable after " + (System.nanoTime() - cut) / 1_000_000 + " ms");
    RunInfo moved =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> bosun.client().run("main", "mover"),
                r ->
                    r.status().equals("running")
                        && !r.jobs().getLast().instance().equals(firstHost));
    System.out.println("running elsewhere after " + (System.nanoTime() - cut) / 1_000_000 + " ms");
    assertThat(moved.jobs()).hasSizeGreaterThanOrEqualTo(2);
    assertThat(moved.jobs().getFirst().terminationReason()).isEqualTo("instance_unreachable");

    hosts.restore(index);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> instance("rack", index).status().equals("idle"));
    // The job the server gave up on was stopped on the host when it came back: only one copy runs.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !hosts.exec(index, "sh", "-c", "ps -eo args").out().contains("sleep 300"));
    assertThat(bosun.run("stop", "-x", "mover").code()).isZero();
  }

  @Test
  @Order(4)
  void reapplyingKeepsUnchangedHostsAndRemovesDroppedOnes() throws Exception {
    String agentBefore =
        hosts.exec(1, "sh", "-c", "cat /var/lib/bosun-agent/data/agent.json").out();
    BosunHarness.Result plan =
        bosun.run("apply", "--dry-run", "-f", fleetFile("rack", 1, 2).toString());
    assertThat(plan.out()).containsPattern(hosts.host(1).ip() + "\\s+keep");
    assertThat(plan.out()).containsPattern(hosts.host(3).ip() + "\\s+remove");
    BosunHarness.Result apply = bosun.run("apply", "-y", "-f", fleetFile("rack", 1, 2).toString());
    assertThat(apply.code()).as(apply.toString()).isZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> instance("rack", 3).status().equals("terminated"));
    assertThat(hosts.exec(1, "sh", "-c", "cat /var/lib/bosun-agent/data/agent.json").out())
        .as("host 1 was not touched")
        .isEqualTo(agentBefore);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !Files.exists(hosts.host(3).agentDir().resolve("bosun.jar")));
  }

  @Test
  @Order(5)
  void aHostWithBadSettingsFailsWithAReasonAndTheOthersAreFine() throws Exception {
    Path file =
        bosun.file(
            "mixed.bosun.yml",
            """
            type: fleet
            name: mixed
            ssh_config:
              user: %s
              identity_file: %s
              hosts:
                - %s
                - hostname: %s
                  user: %s
            """
                .formatted(
                    hosts.user(),
                    hosts.privateKey(),
                    hosts.host(3).ip(),
                    hosts.host(2).ip(),
                    hosts.noSudoUser()));
    BosunHarness.Result apply = bosun.run("apply", "-y", "-f", file.toString());
    assertThat(apply.code()).as(apply.toString()).isEqualTo(1);
    assertThat(apply.err()).contains("1 host(s) ready").contains("sudo");
    assertThat(instance("mixed", 3).status()).isEqualTo("idle");
    assertThat(instance("mixed", 2).message()).contains("cannot use sudo without a password");
    BosunHarness.Result delete = bosun.run("fleet", "delete", "mixed");
    assertThat(delete.code()).as(delete.toString()).isZero();
    assertThat(delete.out()).contains("Deleted fleet mixed");
    assertThat(bosun.client().fleets("main")).extracting(FleetInfo::name).doesNotContain("mixed");
    assertThat(hosts.host(3).agentDir().resolve("bosun.jar")).doesNotExist();
  }

  @Test
  @Order(6)
  void blocksSplitAHostIntoSharesAndABadCountIsRefused() throws Exception {
    Path file =
        bosun.file(
            "blocks.bosun.yml",
            """
            type: fleet
            name: rack
            ssh_config:
              user: %s
              identity_file: %s
              hosts:
                - hostname: %s
                  blocks: 4
                - hostname: %s
                  blocks: 3
            """
                .formatted(
                    hosts.user(), hosts.privateKey(), hosts.host(1).ip(), hosts.host(2).ip()));
    BosunHarness.Result apply = bosun.run("apply", "-y", "-f", file.toString());
    assertThat(apply.code()).as(apply.toString()).isEqualTo(1);
    assertThat(instance("rack", 2).message()).contains("blocks: 3 does not divide the 4 GPUs");
    assertThat(instance("rack", 1).status()).isEqualTo("idle");

    java.util.Set<String> gpuSets = new java.util.HashSet<>();
    for (int i = 1; i <= 5; i++) {
      Path run =
          bosun.file(
              "share" + i + ".bosun.yml",
              """
              type: task
              name: share-%d
              fleets: [rack]
              resources: {cpu: 0, memory: 0.1GB, gpu: 1}
              commands: ['echo "cuda=$CUDA_VISIBLE_DEVICES"; sleep 60']
              """
                  .formatted(i));
      assertThat(bosun.run("apply", "-y", "-d", "-f", run.toString()).code()).isZero();
    }
    for (int i = 1; i <= 4; i++) {
      String name = "share-" + i;
      RunInfo running =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> bosun.client().run("main", name), r -> r.status().equals("running"));
      assertThat(running.jobs().getLast().gpus()).as("a whole share: 8 GPUs / 4 blocks").hasSize(2);
      gpuSets.add(running.jobs().getLast().gpus().toString());
    }
    assertThat(gpuSets).containsExactlyInAnyOrder("[0, 1]", "[2, 3]", "[4, 5]", "[6, 7]");
    RunInfo fifth =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> bosun.client().run("main", "share-5"), r -> r.status().equals("pending"));
    assertThat(fifth.reasonText()).isNotBlank();
    for (int i = 1; i <= 5; i++) {
      bosun.run("stop", "-x", "share-" + i);
    }

    // A job that needs more than one share takes several whole ones: 4 GPUs = 2 shares of 2.
    Path wide =
        bosun.file(
            "wide.bosun.yml",
            """
            type: task
            name: wide
            fleets: [rack]
            resources: {cpu: 0, memory: 0.1GB, gpu: H100:4}
            commands: ['echo "cuda=$CUDA_VISIBLE_DEVICES"']
            """);
    BosunHarness.Result spanned = bosun.run("apply", "-y", "-f", wide.toString());
    assertThat(spanned.code()).as(spanned.toString()).isZero();
    assertThat(spanned.out()).contains("cuda=0,1,2,3");
    JobInfo job = bosun.client().run("main", "wide").jobs().getFirst();
    int cpus = instance("rack", 1).resources().cpus();
    assertThat(job.cpus()).as("two of four shares of the CPUs").isEqualTo(cpus / 4 * 2);
  }

  @Test
  @Order(7)
  void theFleetNetworkPicksEachHostsInternalIp() throws Exception {
    // A second interface address, as on a host with a public and a cluster network.
    assertThat(hosts.exec(3, "ip", "addr", "add", "10.99.7.3/24", "dev", "eth0").ok()).isTrue();
    String yaml =
        """
        type: fleet
        name: net
        ssh_config:
          user: %s
          identity_file: %s
          network: %s
          hosts:
            - %s
        """;
    Path wrong =
        bosun.file(
            "net.bosun.yml",
            yaml.formatted(hosts.user(), hosts.privateKey(), "10.98.0.0/16", hosts.host(3).ip()));
    BosunHarness.Result apply = bosun.run("apply", "-y", "-f", wrong.toString());
    assertThat(apply.code()).as(apply.toString()).isEqualTo(1);
    assertThat(instance("net", 3).message())
        .contains("has no address in network 10.98.0.0/16")
        .contains(hosts.host(3).ip())
        .contains("10.99.7.3");

    Path right =
        bosun.file(
            "net.bosun.yml",
            yaml.formatted(hosts.user(), hosts.privateKey(), "10.99.7.0/24", hosts.host(3).ip()));
    apply = bosun.run("apply", "-y", "-f", right.toString());
    assertThat(apply.code()).as(apply.toString()).isZero();
    assertThat(instance("net", 3).resources().internalIp()).isEqualTo("10.99.7.3");
    Path run =
        bosun.file(
            "ip.bosun.yml",
            """
            type: task
            name: ip
            fleets: [net]
            resources: {cpu: 0, memory: 0.1GB}
            commands: ['echo "master=$BOSUN_MASTER_NODE_IP"']
            """);
    BosunHarness.Result ran = bosun.run("apply", "-y", "-f", run.toString());
    assertThat(ran.code()).as(ran.toString()).isZero();
    assertThat(ran.out()).contains("master=10.99.7.3");
    assertThat(bosun.run("fleet", "delete", "net").code()).isZero();
  }

  @Test
  @Order(8)
  void deletingAFleetDrainsItAndForceStopsItsRuns() throws Exception {
    Path fleetFile = fleetFile("drain", 3);
    assertThat(bosun.run("apply", "-y", "-f", fleetFile.toString()).code()).isZero();
    String task =
        """
        type: task
        name: %s
        fleets: [drain]
        stop_duration: 5s
        resources: {cpu: 0, memory: 0.1GB}
        commands: ['echo started; sleep %d; echo finished']
        """;
    Path shortRun = bosun.file("short.bosun.yml", task.formatted("short", 4));
    assertThat(bosun.run("apply", "-y", "-d", "-f", shortRun.toString()).code()).isZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> bosun.client().run("main", "short"), r -> r.status().equals("running"));

    BosunHarness.Result drain = bosun.run("fleet", "delete", "drain", "-d");
    assertThat(drain.code()).as(drain.toString()).isZero();
    assertThat(drain.err()).contains("is draining: 1 job(s) still run there");
    assertThat(instance("drain", 3).status()).isEqualTo("draining");
    // Nothing new is placed on a draining fleet; the running job goes on to the end.
    Path late = bosun.file("late.bosun.yml", task.formatted("late", 1));
    BosunHarness.Result refused = bosun.run("apply", "-y", "-f", late.toString());
    assertThat(refused.code()).as(refused.toString()).isNotZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> bosun.client().fleets("main").stream().noneMatch(f -> f.name().equals("drain")));
    RunInfo finished = bosun.client().run("main", "short");
    assertThat(finished.status()).isEqualTo("done");
    assertThat(bosun.run("logs", "short").out()).contains("finished");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !Files.exists(hosts.host(3).agentDir().resolve("bosun.jar")));

    // Applying the file again brings the fleet back; --force stops its runs, then deletes it.
    assertThat(bosun.run("apply", "-y", "-f", fleetFile.toString()).code()).isZero();
    Path longRun = bosun.file("long.bosun.yml", task.formatted("long", 300));
    assertThat(bosun.run("apply", "-y", "-d", "-f", longRun.toString()).code()).isZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> bosun.client().run("main", "long"), r -> r.status().equals("running"));
    BosunHarness.Result force = bosun.run("fleet", "delete", "drain", "--force");
    assertThat(force.code()).as(force.toString()).isZero();
    assertThat(force.out()).contains("Deleted fleet drain");
    RunInfo stopped = bosun.client().run("main", "long");
    assertThat(stopped.status()).isEqualTo("terminated");
    assertThat(stopped.terminationReason()).isEqualTo("stopped_by_user");
    assertThat(bosun.client().fleets("main")).extracting(FleetInfo::name).doesNotContain("drain");
    assertThat(hosts.exec(3, "sh", "-c", "ps -eo args").out()).doesNotContain("sleep 300");
  }
}
