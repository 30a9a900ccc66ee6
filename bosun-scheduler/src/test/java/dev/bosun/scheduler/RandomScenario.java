package dev.bosun.scheduler;

import static dev.bosun.scheduler.Fixtures.NOW;

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
import java.util.List;
import java.util.SplittableRandom;

/**
 * A random but valid cluster and queue, built from a seed: existing allocations always fit their
 * hosts and never share a GPU, so every invariant of the plan can be checked against the snapshot.
 */
record RandomScenario(ClusterSnapshot snapshot, List<QueuedRun> queue) {
  private static final String[][] GPU_MODELS = {
    {"nvidia", "H100 80GB HBM3", "81559"},
    {"nvidia", "A100-SXM4-80GB", "81920"},
    {"nvidia", "A10", "24576"},
    {"nvidia", "A10G", "23028"},
    {"nvidia", "GeForce RTX 4090", "24564"},
    {"amd", "Instinct MI300X", "196608"},
  };
  private static final String[] GPU_NAMES = {
    "H100", "A100", "A10", "A10G", "RTX4090", "MI300X", "L4"
  };
  private static final InstanceStatus[] STATUSES = InstanceStatus.values();

  static RandomScenario of(long seed, int maxHosts, int maxRuns) {
    SplittableRandom random = new SplittableRandom(seed);
    List<InstanceView> instances = new ArrayList<>();
    int hosts = random.nextInt(maxHosts + 1);
    for (int i = 0; i < hosts; i++) {
      instances.add(instance(random, "h" + i));
    }
    List<QueuedRun> queue = new ArrayList<>();
    int runs = random.nextInt(maxRuns + 1);
    // Some runs are a service's next replica: a host holding one of its jobs may not take it.
    List<String> held =
        new ArrayList<>(
            instances.stream()
                .flatMap(instance -> instance.allocations().stream())
                .map(Allocation::runId)
                .distinct()
                .toList());
    for (int i = 0; i < runs; i++) {
      QueuedRun run = run(random, "r" + i);
      if (run.jobIds().size() == 1 && random.nextInt(4) == 0) {
        String name = held.isEmpty() || random.nextBoolean() ? run.runId() : held.remove(0);
        run =
            new QueuedRun(
                name,
                name,
                run.priority(),
                run.submittedAt(),
                run.resources(),
                run.fleets(),
                List.of(name + "-next"),
                run.maxDuration(),
                run.project(),
                run.user(),
                run.preemptible(),
                run.container(),
                true);
      }
      queue.add(run);
    }
    return new RandomScenario(new ClusterSnapshot(instances), queue);
  }

  private static InstanceView instance(SplittableRandom random, String name) {
    InstanceStatus status =
        random.nextInt(10) < 8
            ? (random.nextBoolean() ? InstanceStatus.IDLE : InstanceStatus.BUSY)
            : STATUSES[random.nextInt(STATUSES.length)];
    String fleet = random.nextBoolean() ? "a" : "b";
    if (random.nextInt(20) == 0) {
      return new InstanceView("id-" + name, name, fleet, status, null, List.of(), isCluster(fleet));
    }
    int cpus = 1 + random.nextInt(64);
    long memoryMb = (1 + random.nextInt(512)) * 1024L;
    long diskMb = (10 + random.nextInt(1000)) * 1024L;
    List<GpuDevice> gpus = new ArrayList<>();
    if (random.nextBoolean()) {
      String[] model = GPU_MODELS[random.nextInt(GPU_MODELS.length)];
      int count = 1 + random.nextInt(8);
      for (int index = 0; index < count; index++) {
        gpus.add(
            new GpuDevice(
                index,
                "GPU-" + name + "-" + index,
                model[0],
                model[1],
                Long.parseLong(model[2]),
                "1"));
      }
    }
    String arch = random.nextInt(5) == 0 ? "aarch64" : "x86_64";
    HostResources resources =
        new HostResources(name, arch, cpus, memoryMb, diskMb, gpus, "10.0.0.1");
    int blocks = 1;
    if (gpus.size() > 1 && random.nextInt(4) == 0) {
      blocks = gpus.size() % 2 == 0 ? 2 : gpus.size();
    }
    // Jobs already on a host with blocks hold whole shares, as the scheduler gives them.
    List<Allocation> allocations =
        blocks > 1 ? shares(random, name, resources, blocks) : allocations(random, name, resources);
    return new InstanceView(
        "id-" + name, name, fleet, status, resources, allocations, isCluster(fleet), blocks);
  }

  private static List<Allocation> shares(
      SplittableRandom random, String host, HostResources resources, int blocks) {
    List<Allocation> allocations = new ArrayList<>();
    int perShare = resources.gpus().size() / blocks;
    for (int block = 0; block < blocks; block++) {
      if (random.nextBoolean()) {
        List<Integer> gpus = new ArrayList<>();
        for (int i = 0; i < perShare; i++) {
          gpus.add(block * perShare + i);
        }
        Instant end =
            random.nextInt(3) == 0 ? null : NOW.plus(Duration.ofMinutes(random.nextInt(-30, 600)));
        allocations.add(
            new Allocation(
                host + "-job-" + block,
                host + "-run-" + block,
                resources.cpus() / blocks,
                resources.memoryMb() / blocks,
                gpus,
                end));
      }
    }
    return allocations;
  }

  /**
   * Fleet {@code a} has {@code placement: cluster} and takes multi-node runs; {@code b} does not.
   */
  static boolean isCluster(String fleet) {
    return fleet.equals("a");
  }

  private static List<Allocation> allocations(
      SplittableRandom random, String host, HostResources resources) {
    List<Allocation> allocations = new ArrayList<>();
    int freeCpus = resources.cpus();
    long freeMemoryMb = resources.memoryMb();
    List<Integer> freeGpus =
        new ArrayList<>(resources.gpus().stream().map(GpuDevice::index).toList());
    int tries = random.nextInt(5);
    for (int i = 0; i < tries; i++) {
      int cpus = random.nextInt(freeCpus + 1);
      long memoryMb = freeMemoryMb == 0 ? 0 : random.nextLong(freeMemoryMb + 1);
      List<Integer> gpus = new ArrayList<>();
      int gpuCount = freeGpus.isEmpty() ? 0 : random.nextInt(freeGpus.size() + 1);
      for (int g = 0; g < gpuCount; g++) {
        gpus.add(freeGpus.remove(random.nextInt(freeGpus.size())));
      }
      freeCpus -= cpus;
      freeMemoryMb -= memoryMb;
      Instant end =
          random.nextInt(3) == 0 ? null : NOW.plus(Duration.ofMinutes(random.nextInt(-30, 600)));
      allocations.add(
          new Allocation(host + "-job-" + i, host + "-run-" + i, cpus, memoryMb, gpus, end));
    }
    return allocations;
  }

  private static QueuedRun run(SplittableRandom random, String name) {
    CpuSpec cpu = null;
    if (random.nextInt(10) < 6) {
      String arch =
          switch (random.nextInt(10)) {
            case 0 -> "arm";
            case 1 -> "x86";
            default -> null;
          };
      IntRange count =
          random.nextInt(4) == 0
              ? new IntRange(null, 1 + random.nextInt(8))
              : IntRange.atLeast(random.nextInt(17));
      cpu = new CpuSpec(arch, count);
    }
    MemoryRange memory =
        random.nextBoolean() ? null : MemoryRange.atLeast(Memory.ofGb(1 + random.nextInt(64)));
    MemoryRange disk =
        random.nextInt(4) == 0 ? MemoryRange.atLeast(Memory.ofGb(10 + random.nextInt(300))) : null;
    ResourcesSpec resources = new ResourcesSpec(cpu, memory, disk, null, gpu(random));
    List<String> fleets =
        switch (random.nextInt(6)) {
          case 0 -> List.of("a");
          case 1 -> List.of("b");
          case 2 -> List.of("a", "b");
          default -> List.of();
        };
    int jobs = random.nextInt(5) == 0 ? 2 + random.nextInt(2) : 1;
    List<String> jobIds = new ArrayList<>();
    for (int i = 0; i < jobs; i++) {
      jobIds.add(name + "-job-" + i);
    }
    Duration maxDuration =
        random.nextBoolean() ? null : Duration.ofMinutes(1 + random.nextInt(600));
    Instant submittedAt = NOW.minus(Duration.ofMinutes(random.nextInt(1000)));
    return new QueuedRun(
        name,
        name,
        random.nextInt(4),
        submittedAt,
        resources,
        fleets,
        jobIds,
        maxDuration,
        random.nextBoolean() ? "p1" : "p2",
        random.nextBoolean() ? "u1" : "u2",
        false);
  }

  private static GpuSpec gpu(SplittableRandom random) {
    if (random.nextInt(10) < 4) {
      return null;
    }
    List<String> names =
        random.nextBoolean() ? List.of() : List.of(GPU_NAMES[random.nextInt(GPU_NAMES.length)]);
    String vendor = random.nextInt(8) == 0 ? (random.nextBoolean() ? "nvidia" : "AMD") : null;
    MemoryRange memory =
        random.nextInt(6) == 0 ? MemoryRange.atLeast(Memory.ofGb(16 + random.nextInt(80))) : null;
    MemoryRange total =
        random.nextInt(10) == 0 ? MemoryRange.atLeast(Memory.ofGb(40 + random.nextInt(200))) : null;
    IntRange count =
        switch (random.nextInt(4)) {
          case 0 -> null;
          case 1 -> new IntRange(1, 1 + random.nextInt(8));
          default -> IntRange.exactly(random.nextInt(5));
        };
    return new GpuSpec(vendor, names, memory, count, total, null);
  }
}
