package dev.bosun.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bosun.api.ApplyRequest;
import dev.bosun.api.BosunClient;
import dev.bosun.api.CreateProjectRequest;
import dev.bosun.api.CreateUserRequest;
import dev.bosun.api.FleetApplyRequest;
import dev.bosun.api.JobInfo;
import dev.bosun.api.RunInfo;
import dev.bosun.dist.hosts.TestHosts;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Multi-node runs and fair share on real sshd hosts ({@link TestHosts}): a fleet with {@code
 * placement: cluster} over three hosts (8×H100, 4×A100, no GPU; the only fake is each host's {@code
 * nvidia-smi} stand-in).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiNodeIT {
  private TestHosts hosts;
  private BosunHarness bosun;

  @BeforeAll
  void start() throws Exception {
    // Own prefix and subnet: other SSH ITs may run on this machine at the same time.
    hosts = TestHosts.builder().hosts(3).prefix("bosun-m").subnet("10.77.41").start();
    bosun = new BosunHarness();
    Path fleet =
        bosun.file(
            "cluster.bosun.yml",
            ("type: fleet\nname: cluster\nplacement: cluster\nssh_config:\n  user: %s\n"
                    + "  identity_file: %s\n  hosts:\n    - %s\n    - %s\n    - %s\n")
                .formatted(
                    hosts.user(),
                    hosts.privateKey(),
                    hosts.host(1).ip(),
                    hosts.host(2).ip(),
                    hosts.host(3).ip()));
    BosunHarness.Result apply = bosun.run("apply", "-y", "-f", fleet.toString());
    assertThat(apply.code()).as(apply.toString()).isZero();
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

  private String ipOfInstance(String instance) {
    return hosts.hosts().stream()
        .filter(h -> h.ip().equals(instance))
        .findFirst()
        .orElseThrow()
        .ip();
  }

  private int indexOf(String instance) {
    return hosts.hosts().stream()
        .filter(h -> h.ip().equals(instance))
        .findFirst()
        .orElseThrow()
        .index();
  }

  private RunInfo awaitRun(String name, String status) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> bosun.client().run("main", name), r -> r.status().equals(status));
  }

  @Test
  @Order(1)
  void everyNodeGetsItsRankTheMasterAndTheHostFile() throws Exception {
    Path task =
        bosun.file(
            "ddp.bosun.yml",
            """
            type: task
            name: ddp
            nodes: 2
            resources: {cpu: 1, memory: 0.1GB}
            commands:
              - echo "rank=$BOSUN_NODE_RANK of=$BOSUN_NODES_NUM master=$BOSUN_MASTER_NODE_IP"
              - echo "ips=$(echo "$BOSUN_NODES_IPS" | paste -sd, -) dstack_rank=$DSTACK_NODE_RANK"
              - 'sed "s/^/hostfile$BOSUN_NODE_RANK: /" "$BOSUN_MPI_HOSTFILE"'
            """);
    BosunHarness.Result apply = bosun.run("apply", "-y", "-f", task.toString());
    assertThat(apply.code()).as(apply.toString()).isZero();
    RunInfo run = bosun.client().run("main", "ddp");
    assertThat(run.status()).isEqualTo("done");
    List<JobInfo> jobs =
        run.jobs().stream().sorted(Comparator.comparingInt(JobInfo::jobNum)).toList();
    assertThat(jobs).hasSize(2);
    assertThat(jobs.get(0).instance()).isNotEqualTo(jobs.get(1).instance());
    String master = ipOfInstance(jobs.get(0).instance());
    String worker = ipOfInstance(jobs.get(1).instance());
    String logs = bosun.run("logs", "ddp").out();
    assertThat(logs)
        .as("the master's log by default")
        .contains("rank=0 of=2 master=" + master)
        .contains("ips=" + master + "," + worker + " dstack_rank=0")
        .contains("hostfile0: " + master + " slots=1")
        .contains("hostfile0: " + worker + " slots=1")
        .doesNotContain("rank=1");
    String workerLogs = bosun.run("logs", "ddp", "--job", "1").out();
    assertThat(workerLogs)
        .contains("rank=1 of=2 master=" + master)
        .contains("ips=" + master + "," + worker + " dstack_rank=1")
        .contains("hostfile1: " + master + " slots=1")
        .contains("hostfile1: " + worker + " slots=1");
    BosunHarness.Result noSuchNode = bosun.run("logs", "ddp", "--job", "2");
    assertThat(noSuchNode.code()).isEqualTo(2);
    assertThat(noSuchNode.err()).contains("run ddp has 2 node(s); --job takes a rank from 0 to 1");
  }

  @Test
  @Order(2)
  void masterDoneEndsTheRunWhenRankZeroFinishes() throws Exception {
    Path task =
        bosun.file(
            "master.bosun.yml",
            """
            type: task
            name: master
            nodes: 2
            stop_criteria: master-done
            stop_duration: 5s
            resources: {cpu: 1, memory: 0.1GB}
            commands: ['if [ "$BOSUN_NODE_RANK" = 0 ]; then sleep 1; else sleep 300; fi']
            """);
    assertThat(bosun.run("apply", "-y", "-d", "-f", task.toString()).code()).isZero();
    RunInfo run = awaitRun("master", "done");
    JobInfo worker = run.jobs().stream().filter(j -> j.jobNum() == 1).findFirst().orElseThrow();
    assertThat(worker.terminationReason()).isEqualTo("master_job_done");
  }

  @Test
  @Order(3)
  void losingOneNodesHostStopsTheOtherAndRetriesTheWholeGang() throws Exception {
    Path task =
        bosun.file(
            "gang.bosun.yml",
            """
            type: task
            name: gang
            nodes: 2
            stop_duration: 5s
            retry: {on_events: [interruption], duration: 10m}
            resources: {cpu: 1, memory: 0.1GB}
            commands: ['echo "up on rank $BOSUN_NODE_RANK"; sleep 300']
            """);
    assertThat(bosun.run("apply", "-y", "-d", "-f", task.toString()).code()).isZero();
    RunInfo first = awaitRun("gang", "running");
    JobInfo lost = first.jobs().stream().filter(j -> j.jobNum() == 1).findFirst().orElseThrow();
    int cut = indexOf(lost.instance());
    hosts.cut(cut);
    try {
      RunInfo retried =
          await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () -> bosun.client().run("main", "gang"),
                  r ->
                      r.status().equals("running")
                          && r.jobs().stream()
                              .filter(j -> j.submissionNum() == 1)
                              .allMatch(j -> j.status().equals("running"))
                          && r.jobs().stream().anyMatch(j -> j.submissionNum() == 1));
      List<JobInfo> attempt0 = retried.jobs().stream().filter(j -> j.submissionNum() == 0).toList();
      assertThat(attempt0)
          .extracting(JobInfo::terminationReason)
          .containsExactlyInAnyOrder("instance_unreachable", "gang_member_failed");
      List<JobInfo> attempt1 = retried.jobs().stream().filter(j -> j.submissionNum() == 1).toList();
      assertThat(attempt1).hasSize(2);
      assertThat(attempt1)
          .extracting(JobInfo::instance)
          .doesNotContain(hosts.host(cut).ip())
          .doesNotHaveDuplicates();
    } finally {
      hosts.restore(cut);
    }
    assertThat(bosun.run("stop", "gang").code()).isZero();
    awaitRun("gang", "terminated");
  }

  @Test
  @Order(4)
  void twoUsersOnAFullFleetStartInFairShareOrder() throws Exception {
    BosunClient admin = bosun.client();
    String bobToken = admin.createUser(new CreateUserRequest("bob")).token();
    admin.createProject(new CreateProjectRequest("team", List.of("bob")));
    BosunClient bob = new BosunClient(URI.create(bosun.serverUrl()), bobToken);
    // Host 2 alone (4 GPUs) in project team.
    String fleet =
        ("type: fleet\nname: four\nssh_config:\n  user: %s\n  identity_file: %s\n"
                + "  hosts:\n    - %s\n")
            .formatted(hosts.user(), hosts.privateKey(), hosts.host(2).ip());
    bosun.run("fleet", "delete", "cluster");
    admin.applyFleet("team", new FleetApplyRequest(fleet, "four.bosun.yml", null, Map.of()));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> admin.fleets("team").getFirst().instances().getFirst().status().equals("idle"));

    String task =
        """
        type: task
        name: %s
        resources: {cpu: 0, memory: 0.1GB, gpu: 1}
        commands: ['sleep %d']
        """;
    // Alice (admin) fills the four GPUs: one run ends after 2 s, three after 10 s. She queues two
    // more; then Bob queues two. FIFO would start Alice's queued runs first; fair share starts
    // Bob's in each GPU that frees up while Alice holds the others.
    for (int i = 1; i <= 4; i++) {
      admin.apply(
          "team",
          new ApplyRequest(task.formatted("alice-" + i, i == 1 ? 2 : 10), "a.yml", Map.of(), null));
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                admin.runs("team", false).stream().filter(r -> r.status().equals("running")).count()
                    == 4);
    for (int i = 5; i <= 6; i++) {
      admin.apply(
          "team", new ApplyRequest(task.formatted("alice-" + i, 1), "a.yml", Map.of(), null));
    }
    for (int i = 1; i <= 2; i++) {
      bob.apply("team", new ApplyRequest(task.formatted("bob-" + i, 2), "b.yml", Map.of(), null));
    }
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> admin.runs("team", true).stream().allMatch(r -> r.finishedAt() != null));
    Map<String, java.time.Instant> started = new java.util.HashMap<>();
    for (RunInfo run : admin.runs("team", true)) {
      assertThat(run.status()).as(run.name()).isEqualTo("done");
      started.put(run.name(), run.jobs().getFirst().startedAt());
    }
    for (String bobRun : List.of("bob-1", "bob-2")) {
      for (String aliceRun : List.of("alice-5", "alice-6")) {
        assertThat(started.get(bobRun))
            .as("%s (Bob has used nothing) starts before %s (Alice holds 3 GPUs)", bobRun, aliceRun)
            .isBefore(started.get(aliceRun));
      }
    }
  }

  @Test
  @Order(5)
  void aPreemptibleRunMakesRoomForAHigherPriorityOneAndComesBack() throws Exception {
    BosunClient admin = bosun.client();
    admin.apply(
        "team",
        new ApplyRequest(
            """
            type: task
            name: filler
            priority: 10
            preemptible: true
            stop_duration: 2s
            resources: {cpu: 0, memory: 0.1GB, gpu: 4}
            commands: ['echo "filler up"; sleep 300']
            """,
            "filler.yml",
            Map.of(),
            null));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> admin.run("team", "filler"), r -> r.status().equals("running"));
    admin.apply(
        "team",
        new ApplyRequest(
            """
            type: task
            name: urgent
            priority: 90
            resources: {cpu: 0, memory: 0.1GB, gpu: 2}
            commands: ['sleep 3']
            """,
            "urgent.yml",
            Map.of(),
            null));
    RunInfo urgent =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> admin.run("team", "urgent"), r -> r.status().equals("done"));
    RunInfo filler =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> admin.run("team", "filler"),
                r ->
                    r.status().equals("running")
                        && r.jobs().stream().anyMatch(j -> j.submissionNum() == 1));
    JobInfo preempted =
        filler.jobs().stream().filter(j -> j.submissionNum() == 0).findFirst().orElseThrow();
    assertThat(preempted.terminationReason()).isEqualTo("preempted");
    assertThat(urgent.jobs().getFirst().startedAt())
        .as("urgent started once the filler had stopped")
        .isAfterOrEqualTo(preempted.finishedAt());
    admin.stop("team", "filler", true);
  }

  @Test
  @Order(6)
  void aTwoNodeContainerTaskGetsRanksIpsAndTheHostFile() throws Exception {
    // A private dockerd that the agents on the test hosts reach at the system socket (they share
    // this machine's files); started before the fleet so that its agents find Docker.
    try (dev.bosun.agent.docker.TestDockerd dockerd =
        dev.bosun.agent.docker.TestDockerd.startOnSystemSocket()) {
      Path fleet =
          bosun.file(
              "pair.bosun.yml",
              ("type: fleet\nname: pair\nplacement: cluster\nssh_config:\n  user: %s\n"
                      + "  identity_file: %s\n  hosts:\n    - %s\n    - %s\n")
                  .formatted(
                      hosts.user(), hosts.privateKey(), hosts.host(1).ip(), hosts.host(3).ip()));
      BosunHarness.Result applied = bosun.run("apply", "-y", "-f", fleet.toString());
      assertThat(applied.code()).as(applied.toString()).isZero();
      Path task =
          bosun.file(
              "ddp-image.bosun.yml",
              """
              type: task
              name: ddp-image
              image: bosun-test/busybox:1
              nodes: 2
              fleets: [pair]
              resources: {cpu: 1, memory: 0.1GB}
              commands:
                - echo "rank=$BOSUN_NODE_RANK of=$BOSUN_NODES_NUM master=$BOSUN_MASTER_NODE_IP"
                - 'sed "s/^/hostfile$BOSUN_NODE_RANK: /" "$BOSUN_MPI_HOSTFILE"'
              """);
      BosunHarness.Result apply = bosun.run("apply", "-y", "-f", task.toString());
      assertThat(apply.code()).as(apply.toString()).isZero();
      RunInfo run = bosun.client().run("main", "ddp-image");
      List<JobInfo> jobs =
          run.jobs().stream().sorted(Comparator.comparingInt(JobInfo::jobNum)).toList();
      String master = ipOfInstance(jobs.get(0).instance());
      String worker = ipOfInstance(jobs.get(1).instance());
      assertThat(List.of(master, worker))
          .containsExactlyInAnyOrder(hosts.host(1).ip(), hosts.host(3).ip());
      for (int rank = 0; rank < 2; rank++) {
        String logs = bosun.run("logs", "ddp-image", "--job", String.valueOf(rank)).out();
        assertThat(logs)
            .contains("rank=" + rank + " of=2 master=" + master)
            .contains("hostfile" + rank + ": " + master + " slots=1")
            .contains("hostfile" + rank + ": " + worker + " slots=1");
      }
      assertThat(dockerd.client().listContainers(Map.of()))
          .as("both containers are removed once they have ended")
          .isEmpty();
      assertThat(bosun.run("fleet", "delete", "pair").code()).isZero();
    }
  }
}
