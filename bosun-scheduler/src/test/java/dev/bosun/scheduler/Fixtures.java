package dev.bosun.scheduler;

import dev.bosun.model.host.GpuDevice;
import dev.bosun.model.host.HostResources;
import dev.bosun.model.resources.CpuSpec;
import dev.bosun.model.resources.GpuSpec;
import dev.bosun.model.resources.IntRange;
import dev.bosun.model.resources.Memory;
import dev.bosun.model.resources.MemoryRange;
import dev.bosun.model.resources.ResourcesSpec;
import dev.bosun.model.state.InstanceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/** Builders for scenario tests: instances, runs and resource specs with readable defaults. */
final class Fixtures {
  static final Instant NOW = Instant.parse("2025-06-02T12:00:00Z");
  static final long GB = 1024;

  private Fixtures() {}

  static InstanceBuilder instance(String name) {
    return new InstanceBuilder(name);
  }

  static ClusterSnapshot snapshot(InstanceBuilder... instances) {
    return new ClusterSnapshot(Arrays.stream(instances).map(InstanceBuilder::build).toList());
  }

  static RunBuilder run(String name) {
    return new RunBuilder(name);
  }

  static Plan plan(ClusterSnapshot snapshot, RunBuilder... runs) {
    return plan(snapshot, FairShare.NONE, runs);
  }

  static Plan plan(ClusterSnapshot snapshot, FairShare share, RunBuilder... runs) {
    return new Scheduler()
        .plan(
            snapshot,
            Arrays.stream(runs).map(RunBuilder::build).toList(),
            share,
            NOW,
            new SplittableRandom(1));
  }

  static GpuSpec gpu(String name, int count) {
    return new GpuSpec(null, List.of(name), null, IntRange.exactly(count), null, null);
  }

  static GpuSpec anyGpu(int count) {
    return new GpuSpec(null, null, null, IntRange.exactly(count), null, null);
  }

  static Allocation holding(
      String jobId, int cpus, long memoryGb, Instant expectedEnd, Integer... gpuIndices) {
    return new Allocation(
        jobId, "run-of-" + jobId, cpus, memoryGb * GB, List.of(gpuIndices), expectedEnd);
  }

  static Placement placementOf(Plan plan, String runId) {
    return plan.placements().stream()
        .filter(p -> p.runId().equals(runId))
        .findFirst()
        .orElseThrow(() -> new AssertionError("run " + runId + " was not placed: " + plan));
  }

  static Waiting waitingOf(Plan plan, String runId) {
    return plan.waiting().stream()
        .filter(w -> w.runId().equals(runId))
        .findFirst()
        .orElseThrow(() -> new AssertionError("run " + runId + " is not waiting: " + plan));
  }

  static Unplaceable unplaceableOf(Plan plan, String runId) {
    return plan.unplaceable().stream()
        .filter(u -> u.runId().equals(runId))
        .findFirst()
        .orElseThrow(() -> new AssertionError("run " + runId + " is not unplaceable: " + plan));
  }

  /**
   * An instance: by default idle, x86_64, 16 CPUs, 64GB memory, 500GB free disk, no GPUs, fleet
   * "default".
   */
  static final class InstanceBuilder {
    private final String name;
    private String fleet = "default";
    private InstanceStatus status = InstanceStatus.IDLE;
    private String arch = "x86_64";
    private int cpus = 16;
    private long memoryMb = 64 * GB;
    private long diskMb = 500 * GB;
    private final List<GpuDevice> gpus = new ArrayList<>();
    private final List<Allocation> allocations = new ArrayList<>();
    private boolean detected = true;
    private dev.bosun.model.host.ContainerRuntime containers;

    private InstanceBuilder(String name) {
      this.name = name;
    }

    private boolean cluster;
    private int blocks = 1;

    /** Splits the host into {@code count} equal shares. */
    InstanceBuilder blocks(int count) {
      blocks = count;
      return this;
    }

    InstanceBuilder fleet(String value) {
      fleet = value;
      return this;
    }

    /** Puts the instance in a fleet with {@code placement: cluster} (multi-node runs go there). */
    InstanceBuilder cluster() {
      cluster = true;
      return this;
    }

    InstanceBuilder status(InstanceStatus value) {
      status = value;
      return this;
    }

    InstanceBuilder arch(String value) {
      arch = value;
      return this;
    }

    InstanceBuilder cpus(int value) {
      cpus = value;
      return this;
    }

    InstanceBuilder memoryGb(long value) {
      memoryMb = value * GB;
      return this;
    }

    InstanceBuilder diskGb(long value) {
      diskMb = value * GB;
      return this;
    }

    /** What the host's agent found out about Docker (null: an agent that did not look). */
    InstanceBuilder containers(dev.bosun.model.host.ContainerRuntime value) {
      containers = value;
      return this;
    }

    InstanceBuilder undetected() {
      detected = false;
      return this;
    }

    /** Adds {@code count} NVIDIA GPUs of one model, numbered after those already there. */
    InstanceBuilder gpus(int count, String model, long memoryMb) {
      return gpus(count, "nvidia", model, memoryMb);
    }

    InstanceBuilder gpus(int count, String vendor, String model, long memoryMb) {
      for (int i = 0; i < count; i++) {
        int index = gpus.size();
        gpus.add(
            new GpuDevice(index, "GPU-" + name + "-" + index, vendor, model, memoryMb, "550.54"));
      }
      return this;
    }

    /** Adds {@code count} NVIDIA GPUs that report their compute capability. */
    InstanceBuilder gpusWithComputeCapability(int count, String model, String capability) {
      for (int i = 0; i < count; i++) {
        int index = gpus.size();
        gpus.add(
            new GpuDevice(
                index, "GPU-" + name + "-" + index, "nvidia", model, 81920, "550.54", capability));
      }
      return this;
    }

    InstanceBuilder h100s(int count) {
      return gpus(count, "H100 80GB HBM3", 81559);
    }

    InstanceBuilder holding(Allocation allocation) {
      allocations.add(allocation);
      return this;
    }

    InstanceView build() {
      HostResources resources =
          detected
              ? new HostResources(
                  name + ".local", arch, cpus, memoryMb, diskMb, gpus, "10.0.0.1", null, containers)
              : null;
      return new InstanceView(
          "id-" + name, name, fleet, status, resources, allocations, cluster, blocks);
    }
  }

  /**
   * A run: by default priority 0, submitted an hour ago, unspecified resources, any fleet, one job.
   */
  static final class RunBuilder {
    private final String name;
    private int priority;
    private Instant submittedAt = NOW.minus(Duration.ofHours(1));
    private CpuSpec cpu;
    private MemoryRange memory;
    private MemoryRange disk;
    private GpuSpec gpu;
    private List<String> fleets = List.of();
    private int jobs = 1;
    private Duration maxDuration;
    private String project = "";
    private String user = "";
    private boolean container;
    private Memory shm;
    private boolean onePerHost;

    private RunBuilder(String name) {
      this.name = name;
    }

    RunBuilder priority(int value) {
      priority = value;
      return this;
    }

    RunBuilder submittedMinutesAgo(long minutes) {
      submittedAt = NOW.minus(Duration.ofMinutes(minutes));
      return this;
    }

    RunBuilder cpus(int min) {
      cpu = new CpuSpec(null, IntRange.atLeast(min));
      return this;
    }

    RunBuilder cpu(CpuSpec value) {
      cpu = value;
      return this;
    }

    RunBuilder memory(MemoryRange value) {
      memory = value;
      return this;
    }

    RunBuilder memoryGb(long min) {
      memory = MemoryRange.atLeast(Memory.ofGb(min));
      return this;
    }

    RunBuilder diskGb(long min) {
      disk = MemoryRange.atLeast(Memory.ofGb(min));
      return this;
    }

    RunBuilder gpu(GpuSpec value) {
      gpu = value;
      return this;
    }

    RunBuilder fleets(String... values) {
      fleets = List.of(values);
      return this;
    }

    RunBuilder jobs(int value) {
      jobs = value;
      return this;
    }

    RunBuilder maxDuration(Duration value) {
      maxDuration = value;
      return this;
    }

    RunBuilder shm(Memory value) {
      shm = value;
      return this;
    }

    /** Makes it a service whose replicas each need a host holding none of its jobs. */
    RunBuilder onePerHost() {
      onePerHost = true;
      return this;
    }

    /** Runs the jobs in containers. */
    RunBuilder inContainers() {
      container = true;
      return this;
    }

    RunBuilder by(String projectName, String userName) {
      project = projectName;
      user = userName;
      return this;
    }

    QueuedRun build() {
      List<String> jobIds = IntStream.range(0, jobs).mapToObj(i -> name + "-job-" + i).toList();
      return new QueuedRun(
          name,
          name,
          priority,
          submittedAt,
          new ResourcesSpec(cpu, memory, disk, shm, gpu),
          fleets,
          jobIds,
          maxDuration,
          project,
          user,
          false,
          container,
          onePerHost);
    }
  }
}
