package dev.bosun.bench;

import dev.bosun.model.host.GpuDevice;
import dev.bosun.model.host.HostResources;
import dev.bosun.model.resources.CpuSpec;
import dev.bosun.model.resources.GpuSpec;
import dev.bosun.model.resources.MemoryRange;
import dev.bosun.model.resources.ResourcesSpec;
import dev.bosun.model.state.InstanceStatus;
import dev.bosun.scheduler.Allocation;
import dev.bosun.scheduler.ClusterSnapshot;
import dev.bosun.scheduler.InstanceView;
import dev.bosun.scheduler.QueuedRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic inputs for {@link SchedulerBenchmark}: a GPU cluster (H100, A100 and L4 hosts with
 * 8 GPUs each, in two fleets) and a queue of runs of mixed sizes, from CPU-only tasks to whole
 * 8-GPU hosts, with some named models, memory filters, priorities and fleet restrictions.
 */
final class SchedulerWorkload {
  static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

  private static final String[][] MODELS = {
    {"H100 80GB HBM3", "81559"}, {"A100-SXM4-80GB", "81920"}, {"L4", "23034"}
  };

  /**
   * Resource requirements cycled through by the queue, as a configuration file would write them.
   */
  private static final String[][] DEMANDS = {
    // cpu, memory, gpu
    {"4..", "16GB..", "0"},
    {"8..", "32GB..", "1"},
    {"8..", "64GB..", "H100:1"},
    {"16..", "128GB..", "A100:2"},
    {"8..", "32GB..", "nvidia:24GB..:1"},
    {"32..", "256GB..", "H100:4"},
    {"64..", "512GB..", "H100,A100:8"},
    {"4..", "16GB..", "L4:1"},
    {"16..", "128GB..", "80GB:2..4"},
    {"2..", "8GB..", "0"},
  };

  private SchedulerWorkload() {}

  /**
   * @param instances how many hosts
   * @param gpusPerInstance GPUs per host
   * @param busy whether jobs already hold part of each host (some with a known end, for start
   *     estimates)
   */
  static ClusterSnapshot cluster(int instances, int gpusPerInstance, boolean busy) {
    List<InstanceView> views = new ArrayList<>(instances);
    for (int i = 0; i < instances; i++) {
      String[] model = MODELS[i % 10 < 5 ? 0 : i % 10 < 9 ? 1 : 2];
      List<GpuDevice> gpus = new ArrayList<>(gpusPerInstance);
      for (int index = 0; index < gpusPerInstance; index++) {
        gpus.add(
            new GpuDevice(
                index,
                "GPU-" + i + "-" + index,
                "nvidia",
                model[0],
                Long.parseLong(model[1]),
                "550.54"));
      }
      HostResources resources =
          new HostResources(
              "host-" + i, "x86_64", 192, 2048L * 1024, 20L * 1024 * 1024, gpus, "10.0.0." + i);
      List<Allocation> allocations = new ArrayList<>();
      int held = busy ? (i % 4) * gpusPerInstance / 4 + (i % 7 == 0 ? gpusPerInstance / 4 : 0) : 0;
      for (int index = 0; index < Math.min(held, gpusPerInstance); index++) {
        Instant end = index % 2 == 0 ? NOW.plus(Duration.ofMinutes(5L * (i + index + 1))) : null;
        allocations.add(
            new Allocation(
                "held-" + i + "-" + index,
                "held-run-" + i + "-" + index,
                16,
                128 * 1024,
                List.of(index),
                end));
      }
      views.add(
          new InstanceView(
              "instance-" + i,
              String.format("host-%03d", i),
              i % 5 == 0 ? "reserved" : "main",
              InstanceStatus.BUSY,
              resources,
              allocations));
    }
    return new ClusterSnapshot(views);
  }

  /**
   * A queue of {@code runs} runs in arbitrary order, submitted one second apart, a tenth of them
   * with priority.
   */
  static List<QueuedRun> queue(int runs, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<ResourcesSpec> specs = new ArrayList<>();
    for (String[] demand : DEMANDS) {
      specs.add(
          new ResourcesSpec(
              CpuSpec.parse(demand[0]),
              MemoryRange.parse(demand[1]),
              null,
              null,
              GpuSpec.parse(demand[2])));
    }
    List<QueuedRun> queue = new ArrayList<>(runs);
    for (int r = 0; r < runs; r++) {
      ResourcesSpec spec = specs.get(random.nextInt(specs.size()));
      int priority = random.nextInt(10) == 0 ? 50 + random.nextInt(50) : 0;
      List<String> fleets = random.nextInt(20) == 0 ? List.of("reserved") : List.of();
      Duration maxDuration = random.nextBoolean() ? Duration.ofHours(1 + random.nextInt(24)) : null;
      queue.add(
          new QueuedRun(
              "run-" + r,
              "run-" + r,
              priority,
              NOW.minusSeconds(runs - r),
              spec,
              fleets,
              List.of("job-" + r),
              maxDuration));
    }
    return queue;
  }

  /** The same hosts, in fleets with {@code placement: cluster} (multi-node runs may use them). */
  static ClusterSnapshot clusterFleets(ClusterSnapshot snapshot) {
    return new ClusterSnapshot(
        snapshot.instances().stream()
            .map(
                i ->
                    new InstanceView(
                        i.instanceId(),
                        i.instanceName(),
                        i.fleetName(),
                        i.status(),
                        i.resources(),
                        i.allocations(),
                        true))
            .toList());
  }

  /** One run of {@code nodes} jobs, each wanting a whole 8×H100 host. */
  static List<QueuedRun> gang(int nodes) {
    ResourcesSpec spec =
        new ResourcesSpec(
            CpuSpec.parse("64.."),
            MemoryRange.parse("512GB.."),
            null,
            null,
            GpuSpec.parse("H100:8"));
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      jobs.add("gang-job-" + i);
    }
    return List.of(new QueuedRun("gang", "gang", 0, NOW, spec, List.of(), jobs));
  }

  /** This machine's local fleet as the server sees it: one idle host, no GPUs. */
  static ClusterSnapshot localHost() {
    HostResources resources =
        new HostResources("localhost", "x86_64", 2, 8 * 1024, 50 * 1024, List.of(), "127.0.0.1");
    return new ClusterSnapshot(
        List.of(
            new InstanceView(
                "local-1", "local-1", "local", InstanceStatus.IDLE, resources, List.of())));
  }

  /** The end-to-end benchmark's run: {@code cpu: 1, memory: 0.1GB, disk: 1GB..}. */
  static List<QueuedRun> oneSmallRun() {
    ResourcesSpec spec =
        new ResourcesSpec(
            CpuSpec.parse("1"), MemoryRange.parse("0.1GB"), MemoryRange.parse("1GB.."), null, null);
    return List.of(new QueuedRun("run-1", "b-1", 0, NOW, spec, List.of(), List.of("job-1")));
  }
}
