package dev.bosun.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bosun.model.host.GpuDevice;
import dev.bosun.model.host.HostResources;
import dev.bosun.model.resources.GpuSpec;
import dev.bosun.model.resources.ResourcesSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What must hold of any plan, whatever the snapshot and queue. */
final class PlanInvariants {
  private PlanInvariants() {}

  /** Every queued run appears exactly once: all its jobs placed, waiting, or unplaceable. */
  static void everyRunAppearsExactlyOnce(List<QueuedRun> queue, Plan plan) {
    Map<String, List<String>> placedJobs =
        plan.placements().stream()
            .collect(
                Collectors.groupingBy(
                    Placement::runId, Collectors.mapping(Placement::jobId, Collectors.toList())));
    List<String> decided =
        Stream.of(
                placedJobs.keySet().stream(),
                plan.waiting().stream().map(Waiting::runId),
                plan.unplaceable().stream().map(Unplaceable::runId))
            .flatMap(s -> s)
            .toList();
    assertThat(decided)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(queue.stream().map(QueuedRun::runId).toList());
    for (QueuedRun run : queue) {
      if (placedJobs.containsKey(run.runId())) {
        assertThat(placedJobs.get(run.runId())).containsExactlyInAnyOrderElementsOf(run.jobIds());
      }
    }
  }

  /**
   * Placements go to ready instances of the run's fleets, one host per job, and never exceed what
   * hosts have.
   */
  static void placementsRespectHosts(ClusterSnapshot snapshot, List<QueuedRun> queue, Plan plan) {
    Map<String, InstanceView> instances =
        snapshot.instances().stream()
            .collect(Collectors.toMap(InstanceView::instanceId, instance -> instance));
    Map<String, QueuedRun> runs =
        queue.stream().collect(Collectors.toMap(QueuedRun::runId, run -> run));
    Map<String, List<Placement>> byInstance = new HashMap<>();
    Map<String, Set<String>> hostsOfRun = new HashMap<>();
    for (Placement placement : plan.placements()) {
      InstanceView instance = instances.get(placement.instanceId());
      QueuedRun run = runs.get(placement.runId());
      assertThat(instance).as("instance of %s", placement).isNotNull();
      assertThat(instance.status().canRunJobs())
          .as("%s is ready", instance.instanceName())
          .isTrue();
      assertThat(instance.resources()).isNotNull();
      if (!run.fleets().isEmpty()) {
        assertThat(run.fleets()).contains(instance.fleetName());
      }
      assertThat(
              hostsOfRun
                  .computeIfAbsent(run.runId(), id -> new HashSet<>())
                  .add(instance.instanceId()))
          .as("run %s has one job per host", run.runId())
          .isTrue();
      if (run.onePerHost()) {
        assertThat(instance.allocations())
            .as("replica of %s goes to a host without one", run.runId())
            .noneMatch(allocation -> allocation.runId().equals(run.runId()));
      }
      if (run.isGang()) {
        assertThat(instance.clusterFleet())
            .as("gang %s only on cluster fleets", run.runId())
            .isTrue();
      }
      byInstance.computeIfAbsent(instance.instanceId(), id -> new ArrayList<>()).add(placement);
      placementMatchesRequest(run.resources(), instance, placement);
    }
    byInstance.forEach((id, placements) -> hostNotOvercommitted(instances.get(id), placements));
    hostsOfRun.forEach(
        (runId, hosts) -> {
          assertThat(hosts)
              .as("run %s is placed whole", runId)
              .hasSize(runs.get(runId).jobIds().size());
          assertThat(hosts.stream().map(id -> instances.get(id).fleetName()).distinct())
              .as("run %s on one fleet", runId)
              .hasSize(1);
        });
  }

  private static void hostNotOvercommitted(InstanceView instance, List<Placement> placements) {
    long cpus =
        instance.allocations().stream().mapToLong(Allocation::cpus).sum()
            + placements.stream().mapToLong(Placement::cpus).sum();
    long memoryMb =
        instance.allocations().stream().mapToLong(Allocation::memoryMb).sum()
            + placements.stream().mapToLong(Placement::memoryMb).sum();
    assertThat(cpus)
        .as("CPUs allocated on %s", instance.instanceName())
        .isLessThanOrEqualTo(instance.resources().cpus());
    assertThat(memoryMb)
        .as("memory allocated on %s", instance.instanceName())
        .isLessThanOrEqualTo(instance.resources().memoryMb());
    List<Integer> gpuIndices =
        Stream.concat(
                instance.allocations().stream()
                    .flatMap(allocation -> allocation.gpuIndices().stream()),
                placements.stream().flatMap(placement -> placement.gpuIndices().stream()))
            .toList();
    assertThat(gpuIndices)
        .as("GPUs allocated on %s", instance.instanceName())
        .doesNotHaveDuplicates();
    Set<Integer> present =
        instance.resources().gpus().stream().map(GpuDevice::index).collect(Collectors.toSet());
    assertThat(present)
        .containsAll(placements.stream().flatMap(p -> p.gpuIndices().stream()).toList());
  }

  private static void placementMatchesRequest(
      ResourcesSpec spec, InstanceView instance, Placement placement) {
    int blocks = instance.blocks();
    if (blocks > 1 && instance.resources().gpus().size() % blocks == 0) {
      // Whole shares: a multiple of the share size, at least what was asked, GPUs block-aligned.
      HostResources host = instance.resources();
      int shareCpus = host.cpus() / blocks;
      long shareMemory = host.memoryMb() / blocks;
      int shareGpus = host.gpus().size() / blocks;
      long shares =
          shareGpus > 0
              ? placement.gpuIndices().size() / shareGpus
              : shareCpus > 0 ? placement.cpus() / shareCpus : placement.memoryMb() / shareMemory;
      assertThat(shares).isBetween(1L, (long) blocks);
      assertThat((long) placement.cpus()).isEqualTo(shares * shareCpus);
      assertThat(placement.memoryMb()).isEqualTo(shares * shareMemory);
      assertThat((long) placement.gpuIndices().size()).isEqualTo(shares * shareGpus);
      if (spec.cpu() != null && spec.cpu().count().min() != null) {
        assertThat(placement.cpus()).isGreaterThanOrEqualTo(spec.cpu().count().min());
      }
      return;
    }
    if (spec.cpu() != null && spec.cpu().count().min() != null) {
      assertThat(placement.cpus()).isEqualTo(spec.cpu().count().min());
    }
    if (spec.memory() != null && spec.memory().min() != null) {
      assertThat(placement.memoryMb()).isEqualTo(spec.memory().min().mb());
    }
    if (spec.disk() != null && spec.disk().min() != null) {
      assertThat(instance.resources().diskMb()).isGreaterThanOrEqualTo(spec.disk().min().mb());
    }
    if (spec.cpu() != null && spec.cpu().arch() != null) {
      assertThat(instance.resources().arch())
          .isIn(
              spec.cpu().arch().equals("arm")
                  ? List.of("aarch64", "arm64")
                  : List.of("x86_64", "amd64"));
    }
    GpuSpec gpu = spec.gpuOrDefault();
    GpuRequest request = GpuRequest.of(gpu);
    assertThat(placement.gpuIndices()).hasSizeGreaterThanOrEqualTo(request.count());
    if (request.count() == 0) {
      assertThat(placement.gpuIndices()).isEmpty();
    }
    for (int index : placement.gpuIndices()) {
      GpuDevice device =
          instance.resources().gpus().stream()
              .filter(d -> d.index() == index)
              .findFirst()
              .orElseThrow();
      assertThat(placement.gpuUuids()).contains(device.uuid());
      if (!gpu.names().isEmpty()) {
        assertThat(gpu.names())
            .as("names matching %s", device.name())
            .anyMatch(
                name ->
                    GpuModelName.of(device.name()).matches(GpuModelName.normalizeRequested(name)));
      }
      if (gpu.vendor() != null) {
        assertThat(device.vendor()).isEqualToIgnoringCase(gpu.vendor());
      }
    }
  }

  /** The snapshot as it is once the plan's placements hold their resources. */
  static ClusterSnapshot withPlacements(
      ClusterSnapshot snapshot, List<QueuedRun> queue, Plan plan, java.time.Instant now) {
    Map<String, QueuedRun> runs =
        queue.stream().collect(Collectors.toMap(QueuedRun::runId, run -> run));
    List<InstanceView> instances = new ArrayList<>();
    for (InstanceView instance : snapshot.instances()) {
      List<Allocation> allocations = new ArrayList<>(instance.allocations());
      for (Placement placement : plan.placements()) {
        if (placement.instanceId().equals(instance.instanceId())) {
          QueuedRun run = runs.get(placement.runId());
          allocations.add(
              new Allocation(
                  placement.jobId(),
                  placement.runId(),
                  placement.cpus(),
                  placement.memoryMb(),
                  placement.gpuIndices(),
                  run.maxDuration() == null ? null : now.plus(run.maxDuration())));
        }
      }
      instances.add(
          new InstanceView(
              instance.instanceId(),
              instance.instanceName(),
              instance.fleetName(),
              instance.status(),
              instance.resources(),
              allocations,
              instance.clusterFleet(),
              instance.blocks()));
    }
    return new ClusterSnapshot(instances);
  }
}
