package dev.bosun.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bosun.model.host.GpuDevice;
import dev.bosun.model.host.HostResources;
import dev.bosun.model.state.FleetStatus;
import dev.bosun.model.state.InstanceStatus;
import dev.bosun.model.state.JobStatus;
import dev.bosun.model.state.RunStatus;
import dev.bosun.model.state.TerminationReason;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store's contract, run against each real database (SQLite file, PostgreSQL server):
 * migrations, uniqueness of active names, verified commits, reopening.
 */
abstract class StoreContractTest {
  private Store store;

  /** Opens the store of this test's database; opening again must see the same data. */
  abstract Store openStore() throws Exception;

  private UserRecord user;
  private ProjectRecord project;
  private InstanceRecord instance;

  @BeforeEach
  void open() throws Exception {
    store = openStore();
    user = store.createUser("admin", true, "hash");
    project = store.createProject("main", List.of(user.id()));
    FleetRecord fleet = store.ensureFleet(project.id(), "local", "local");
    instance = store.ensureInstance(fleet.id(), "host-1");
    store.updateInstance(
        instance.id(),
        InstanceStatus.IDLE,
        new HostResources(
            "host-1",
            "x86_64",
            4,
            16384,
            100000,
            List.of(
                new GpuDevice(0, "GPU-a", "nvidia", "H100", 81559, "550"),
                new GpuDevice(1, "GPU-b", "nvidia", "H100", 81559, "550")),
            "10.0.0.1"),
        "1.0");
  }

  @AfterEach
  void close() {
    store.close();
  }

  private RunRecord newRun(String name) {
    return new RunRecord(
        UUID.randomUUID().toString(),
        project.id(),
        project.name(),
        user.id(),
        user.name(),
        name,
        "task",
        RunStatus.SUBMITTED,
        "type: task\ncommands: [true]\n",
        "f.yml",
        Map.of(),
        0,
        Instant.now(),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        0);
  }

  private JobRecord submit(String name) {
    RunRecord run = newRun(name);
    JobRecord job =
        JobRecord.submitted(UUID.randomUUID().toString(), run.id(), 0, 0, Instant.now());
    store.insertRun(run, List.of(job));
    return job;
  }

  private JobPlacement placement(JobRecord job, int cpus, List<Integer> gpus) {
    return new JobPlacement(
        job.id(),
        instance.id(),
        cpus,
        1024,
        gpus,
        gpus.stream().map(i -> "GPU-" + i).toList(),
        null);
  }

  @Test
  void aNameCanBeActiveOnlyOncePerProject() {
    submit("train");
    assertThatThrownBy(() -> submit("train")).isInstanceOf(DuplicateActiveRunException.class);
    RunRecord first = store.run(project.id(), "train").orElseThrow();
    store.write(
        w ->
            w.saveRun(
                first.finished(
                    RunStatus.DONE, TerminationReason.DONE_BY_AGENT, null, 0, Instant.now())));
    submit("train");
    assertThat(store.runs(project.id(), true)).hasSize(2);
    assertThat(store.runs(project.id(), false)).hasSize(1);
  }

  @Test
  void commitRefusesPlacementsThatNoLongerFit() {
    JobRecord a = submit("a");
    JobRecord b = submit("b");
    JobRecord c = submit("c");
    CommitResult first = store.commitPlacements(List.of(placement(a, 2, List.of(0))));
    assertThat(first).isInstanceOf(CommitResult.Committed.class);
    assertThat(store.runById(a.runId()).orElseThrow().status()).isEqualTo(RunStatus.PROVISIONING);

    // b asks for the GPU a holds; c fits. A stale plan is refused in part.
    CommitResult second =
        store.commitPlacements(List.of(placement(b, 1, List.of(0)), placement(c, 2, List.of(1))));
    assertThat(second).isInstanceOf(CommitResult.PartiallyCommitted.class);
    assertThat(second.refusedJobIds()).containsExactly(b.id());
    assertThat(second.committedJobIds()).containsExactly(c.id());

    // Placing a job twice is refused, and so is exceeding the CPUs.
    assertThat(store.commitPlacements(List.of(placement(a, 1, List.of()))))
        .isInstanceOf(CommitResult.Stale.class);
    assertThat(store.commitPlacements(List.of(placement(b, 1, List.of()))))
        .isInstanceOf(CommitResult.Stale.class);
  }

  @Test
  void aDrainingFleetTakesNoJobsAndADeletedOneIsHiddenUntilAppliedAgain() {
    FleetRecord local = store.fleet(project.id(), "local").orElseThrow();
    store.updateFleetStatus(local.id(), FleetStatus.DRAINING);
    assertThat(store.instance(instance.id()).orElseThrow().takesJobs()).isFalse();
    assertThat(store.fleets(project.id()))
        .extracting(FleetRecord::status)
        .containsExactly(FleetStatus.DRAINING);
    JobRecord job = submit("late");
    assertThat(store.commitPlacements(List.of(placement(job, 1, List.of(0)))))
        .as("the verifier refuses a draining fleet")
        .isInstanceOf(CommitResult.Stale.class);

    store.updateFleetStatus(local.id(), FleetStatus.DELETED);
    assertThat(store.fleets(project.id())).isEmpty();
    assertThat(store.fleet(project.id(), "local"))
        .get()
        .extracting(FleetRecord::status)
        .isEqualTo(FleetStatus.DELETED);
    store.saveFleet(project.id(), "local", "local", "type: fleet\nname: local\n", true);
    assertThat(store.instance(instance.id()).orElseThrow().fleetCluster()).isTrue();
    assertThat(store.fleets(project.id()))
        .extracting(FleetRecord::status)
        .containsExactly(FleetStatus.ACTIVE);
    assertThat(store.instance(instance.id()).orElseThrow().takesJobs()).isTrue();
    assertThat(store.commitPlacements(List.of(placement(job, 1, List.of(0)))))
        .isInstanceOf(CommitResult.Committed.class);
    assertThat(store.jobsOnInstance(instance.id()))
        .extracting(JobRecord::id)
        .containsExactly(job.id());
  }

  @Test
  void aSharedFleetTakesTheOtherProjectsJobsUntilUnsharedAndWeightsAreKept() {
    ProjectRecord lab = store.createProject("lab", List.of(user.id()));
    store.setProjectWeight(lab.id(), 2.5);
    assertThat(store.projects())
        .extracting(ProjectSummary::name, ProjectSummary::weight, ProjectSummary::members)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("lab", 2.5, List.of("admin")),
            org.assertj.core.groups.Tuple.tuple("main", 1.0, List.of("admin")));
    FleetRecord local = store.fleet(project.id(), "local").orElseThrow();
    RunRecord labRun =
        new RunRecord(
            UUID.randomUUID().toString(),
            lab.id(),
            lab.name(),
            user.id(),
            user.name(),
            "x",
            "task",
            RunStatus.SUBMITTED,
            "type: task\ncommands: [true]\n",
            "f.yml",
            Map.of(),
            0,
            Instant.now(),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            0);
    JobRecord job =
        JobRecord.submitted(UUID.randomUUID().toString(), labRun.id(), 0, 0, Instant.now());
    store.insertRun(labRun, List.of(job));
    assertThat(store.commitPlacements(List.of(placement(job, 1, List.of(0)))))
        .as("another project's fleet is refused")
        .isInstanceOf(CommitResult.Stale.class);

    assertThat(store.shareFleet(local.id(), lab.id())).isTrue();
    assertThat(store.shareFleet(local.id(), lab.id())).as("shared already").isFalse();
    assertThat(store.fleetSharedWith(local.id())).containsExactly("lab");
    assertThat(store.sharedWith(lab.id()))
        .extracting(FleetShare::qualifiedName)
        .containsExactly("main/local");
    SchedulingState state = store.schedulingState();
    assertThat(state.fleetShares()).containsEntry(local.id(), java.util.Set.of(lab.id()));
    assertThat(state.projects().get(lab.id()).weight()).isEqualTo(2.5);
    assertThat(state.runProjects()).containsEntry(labRun.id(), lab.id());
    assertThat(store.commitPlacements(List.of(placement(job, 1, List.of(0)))))
        .isInstanceOf(CommitResult.Committed.class);

    assertThat(store.unshareFleet(local.id(), lab.id())).isTrue();
    assertThat(store.unshareFleet(local.id(), lab.id())).isFalse();
    assertThat(store.sharedWith(lab.id())).isEmpty();
    store.shareFleet(local.id(), lab.id());
    store.updateFleetStatus(local.id(), FleetStatus.DELETED);
    assertThat(store.fleetSharedWith(local.id())).as("a deleted fleet is shared no more").isEmpty();
  }

  @Test
  void sshKeysAreKeptPerUserAndTheProjectsMembersKeysAreListed() {
    UserRecord bob = store.createUser("bob", false, "hash-bob");
    ProjectRecord lab = store.createProject("lab", List.of(bob.id()));
    store.saveSshKey(user.id(), "laptop", "ssh-ed25519 AAAA1 admin@laptop");
    store.saveSshKey(bob.id(), "work", "ssh-ed25519 AAAA2 bob@work");
    store.saveSshKey(bob.id(), "work", "ssh-ed25519 AAAA3 bob@work"); // replaced
    assertThat(store.sshKeys(bob.id()))
        .extracting(SshKeyRecord::name, SshKeyRecord::publicKey)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("work", "ssh-ed25519 AAAA3 bob@work"));
    assertThat(store.projectSshKeys(project.id()))
        .containsExactly("ssh-ed25519 AAAA1 admin@laptop");
    assertThat(store.projectSshKeys(lab.id())).containsExactly("ssh-ed25519 AAAA3 bob@work");
    assertThat(store.deleteSshKey(bob.id(), "work")).isTrue();
    assertThat(store.deleteSshKey(bob.id(), "work")).isFalse();
    assertThat(store.projectSshKeys(lab.id())).isEmpty();
  }

  @Test
  void theJobsOfOneRunAreCommittedTogetherOrNotAtAll() {
    RunRecord run = newRun("ddp");
    JobRecord rank0 =
        JobRecord.submitted(UUID.randomUUID().toString(), run.id(), 0, 0, Instant.now());
    JobRecord rank1 =
        JobRecord.submitted(UUID.randomUUID().toString(), run.id(), 1, 0, Instant.now());
    store.insertRun(run, List.of(rank0, rank1));
    JobRecord other = submit("other");
    // rank 1 asks for more CPUs than the host has: the whole run is refused, other still commits.
    CommitResult result =
        store.commitPlacements(
            List.of(
                placement(rank0, 1, List.of(0)),
                placement(rank1, 99, List.of(1)),
                placement(other, 1, List.of())));
    assertThat(result.refusedJobIds()).containsExactlyInAnyOrder(rank0.id(), rank1.id());
    assertThat(result.committedJobIds()).containsExactly(other.id());
    assertThat(store.job(rank0.id()).orElseThrow().instanceId())
        .as("rank 0 holds nothing")
        .isNull();
    assertThat(store.runById(run.id()).orElseThrow().status()).isEqualTo(RunStatus.SUBMITTED);

    assertThat(
            store.commitPlacements(
                List.of(placement(rank0, 1, List.of(0)), placement(rank1, 1, List.of(1)))))
        .isInstanceOf(CommitResult.Committed.class);
    assertThat(store.schedulingState().runUsers()).containsEntry(run.id(), user.id());
  }

  @Test
  void aRunningServicesQueuedReplicaIsQueuedAndPlacedWithoutChangingTheRunsStatus() {
    RunRecord run = newRun("web");
    JobRecord replica0 =
        JobRecord.submitted(UUID.randomUUID().toString(), run.id(), 0, 0, Instant.now());
    JobRecord replica1 =
        JobRecord.submitted(UUID.randomUUID().toString(), run.id(), 1, 0, Instant.now());
    store.insertRun(run, List.of(replica0, replica1));
    assertThat(store.commitPlacements(List.of(placement(replica0, 1, List.of()))))
        .isInstanceOf(CommitResult.Committed.class);
    RunRecord provisioning = store.runById(run.id()).orElseThrow();
    assertThat(provisioning.status()).isEqualTo(RunStatus.PROVISIONING);
    assertThat(store.schedulingState().queued())
        .extracting(SchedulingState.QueuedJob::jobId)
        .containsExactly(replica1.id());

    store.write(w -> w.saveRun(provisioning.withStatus(RunStatus.RUNNING)));
    assertThat(store.schedulingState().queued())
        .extracting(SchedulingState.QueuedJob::jobId)
        .as("a running run's queued job (a replica replacing one that ended)")
        .containsExactly(replica1.id());
    assertThat(store.commitPlacements(List.of(placement(replica1, 1, List.of()))))
        .isInstanceOf(CommitResult.Committed.class);
    assertThat(store.runById(run.id()).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    assertThat(store.schedulingState().queued()).isEmpty();
  }

  @Test
  void finishedJobsReportWhatTheyUsedForFairShare() {
    JobRecord job = submit("used");
    store.commitPlacements(List.of(placement(job, 2, List.of(0, 1))));
    Instant started = Instant.now().minusSeconds(3600);
    Instant finished = Instant.now();
    JobRecord placed = store.job(job.id()).orElseThrow();
    store.write(
        w ->
            w.saveJob(
                placed.withState(
                    JobStatus.DONE, 0, TerminationReason.DONE_BY_AGENT, null, started, finished)));
    assertThat(store.finishedJobUsage(finished.minusSeconds(60)))
        .singleElement()
        .satisfies(
            usage -> {
              assertThat(usage.userId()).isEqualTo(user.id());
              assertThat(usage.projectId()).isEqualTo(project.id());
              assertThat(usage.gpus()).isEqualTo(2);
              assertThat(usage.cpus()).isEqualTo(2);
            });
    assertThat(store.finishedJobUsage(finished.plusSeconds(60))).isEmpty();
  }

  @Test
  void finishedJobsFreeTheirResources() {
    JobRecord a = submit("a");
    store.commitPlacements(List.of(placement(a, 4, List.of(0, 1))));
    JobRecord placed = store.job(a.id()).orElseThrow();
    store.write(
        w ->
            w.saveJob(
                placed.withState(
                    JobStatus.DONE,
                    0,
                    TerminationReason.DONE_BY_AGENT,
                    null,
                    Instant.now(),
                    Instant.now())));
    JobRecord b = submit("b");
    assertThat(store.commitPlacements(List.of(placement(b, 4, List.of(0, 1)))))
        .isInstanceOf(CommitResult.Committed.class);
  }

  @Test
  void everythingSurvivesReopening() throws Exception {
    JobRecord a = submit("keep");
    store.commitPlacements(List.of(placement(a, 1, List.of(1))));
    store.updateAgentCursor(instance.id(), "boot-1", 42);
    store.close();
    store = openStore();
    assertThat(store.job(a.id()).orElseThrow().gpus()).containsExactly(1);
    assertThat(store.instance(instance.id()).orElseThrow().agentCursor()).isEqualTo(42);
    assertThat(store.userByTokenHash("hash")).map(UserRecord::name).contains("admin");
    assertThat(store.activeJobs()).extracting(JobRecord::id).containsExactly(a.id());
  }

  @Test
  void markPendingOnlyMovesSubmittedRuns() {
    JobRecord a = submit("a");
    JobRecord b = submit("b");
    store.commitPlacements(List.of(placement(b, 1, List.of())));
    store.markPending(List.of(a.runId(), b.runId()));
    assertThat(store.runById(a.runId()).orElseThrow().status()).isEqualTo(RunStatus.PENDING);
    assertThat(store.runById(b.runId()).orElseThrow().status()).isEqualTo(RunStatus.PROVISIONING);
  }

  @Test
  void sshFleetsKeepTheirFileHostsProgressAndHostKeys() throws Exception {
    FleetRecord fleet = store.saveFleet(project.id(), "rack", "ssh", "type: fleet\nname: rack\n");
    assertThat(store.fleet(project.id(), "rack")).contains(fleet);
    assertThat(store.fleetConfiguration(fleet.id())).contains("type: fleet\nname: rack\n");
    InstanceRecord host = store.saveHost(fleet.id(), "10.0.0.5", "{\"hostname\":\"10.0.0.5\"}");
    assertThat(host.hostSpec()).contains("10.0.0.5");
    assertThat(host.projectId()).isEqualTo(project.id());
    store.updateInstanceStatus(host.id(), InstanceStatus.PROVISIONING, "installing the agent");
    assertThat(store.instance(host.id()).orElseThrow().statusMessage())
        .isEqualTo("installing the agent");
    assertThat(store.hostKey(fleet.id(), "10.0.0.5", 22)).isEmpty();
    store.rememberHostKey(fleet.id(), "10.0.0.5", 22, "ssh-ed25519 AAAA1");
    store.rememberHostKey(fleet.id(), "10.0.0.5", 22, "ssh-ed25519 AAAA2");
    assertThat(store.hostKey(fleet.id(), "10.0.0.5", 22)).contains("ssh-ed25519 AAAA2");
    store.close();
    store = openStore();
    assertThat(store.hostKey(fleet.id(), "10.0.0.5", 22)).contains("ssh-ed25519 AAAA2");
  }
}
