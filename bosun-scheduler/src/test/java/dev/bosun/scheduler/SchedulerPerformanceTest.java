package dev.bosun.scheduler;

import static dev.bosun.scheduler.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Guards against complexity blow-ups: the server plans on every submission and job end, so 2,000
 * queued runs on 100 instances must take well under 50 ms. The bound asserted here is loose,
 * because test machines are shared; the printed time is the number to watch.
 */
class SchedulerPerformanceTest {
  private static final int INSTANCES = 100;
  private static final int RUNS = 2_000;
  private static final long LOOSE_BOUND_NANOS = 400_000_000L;

  private final Scheduler scheduler = new Scheduler();

  @Test
  void twoThousandRunsOnAHundredIdleInstances() {
    assertFastEnough("idle", cluster(false), queue());
  }

  @Test
  void twoThousandRunsOnAHundredSaturatedInstances() {
    assertFastEnough("saturated", cluster(true), queue());
  }

  private void assertFastEnough(String label, ClusterSnapshot snapshot, List<QueuedRun> queue) {
    Plan plan = null;
    for (int i = 0; i < 15; i++) {
      plan = scheduler.plan(snapshot, queue, NOW, new SplittableRandom(i));
    }
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      long start = System.nanoTime();
      plan = scheduler.plan(snapshot, queue, NOW, new SplittableRandom(i));
      best = Math.min(best, System.nanoTime() - start);
    }
    System.out.printf(
        "plan of %d runs on %d %s instances: best %.1f ms (%d placements, %d waiting, %d unplaceable)%n",
        RUNS,
        INSTANCES,
        label,
        best / 1e6,
        plan.placements().size(),
        plan.waiting().size(),
        plan.unplaceable().size());
    assertThat(plan.placements().size() + plan.waiting().size() + plan.unplaceable().size())
        .isGreaterThanOrEqualTo(RUNS);
    assertThat(best).isLessThan(LOOSE_BOUND_NANOS);
  }

  private static ClusterSnapshot cluster(boolean saturated) {
    String[][] models = {
      {"H100 80GB HBM3", "81559"}, {"A100-SXM4-80GB", "81920"}, {"L4", "23034"}, {"", "0"}
    };
    List<InstanceView> instances = new ArrayList<>();
    for (int i = 0; i < INSTANCES; i++) {
      String[] model = models[i % models.length];
      List<GpuDevice> gpus = new ArrayList<>();
      for (int index = 0; !model[0].isEmpty() && index < 8; index++) {
        gpus.add(
            new GpuDevice(
                index,
                "GPU-" + i + "-" + index,
                "nvidia",
                model[0],
                Long.parseLong(model[1]),
                "1"));
      }
      HostResources resources =
          new HostResources("h" + i, "x86_64", 128, 1024 * 1024, 2048 * 1024, gpus, "10.0.0.1");
      List<Allocation> allocations = new ArrayList<>();
      int jobs = saturated ? 8 : i % 3;
      for (int job = 0; job < jobs; job++) {
        List<Integer> held = gpus.isEmpty() ? List.of() : List.of(job);
        allocations.add(
            new Allocation(
                "j" + i + "-" + job,
                "run-" + i,
                16,
                128 * 1024,
                held,
                job % 2 == 0 ? NOW.plus(Duration.ofMinutes(10 * (i + job))) : null));
      }
      instances.add(
          new InstanceView(
              "id-" + i,
              "h" + i,
              i % 10 == 0 ? "cpu" : "gpu",
              i % 25 == 0 ? InstanceStatus.UNREACHABLE : InstanceStatus.BUSY,
              resources,
              allocations));
    }
    return new ClusterSnapshot(instances);
  }

  private static List<QueuedRun> queue() {
    SplittableRandom random = new SplittableRandom(42);
    String[] names = {"H100", "A100", "L4", "A10"};
    List<QueuedRun> queue = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      GpuSpec gpu =
          random.nextInt(4) == 0
              ? null
              : new GpuSpec(
                  null,
                  List.of(names[random.nextInt(names.length)]),
                  null,
                  IntRange.exactly(1 << random.nextInt(4)),
                  null,
                  null);
      ResourcesSpec resources =
          new ResourcesSpec(
              new CpuSpec(null, IntRange.atLeast(1 + random.nextInt(16))),
              MemoryRange.atLeast(Memory.ofGb(1 + random.nextInt(64))),
              null,
              null,
              gpu);
      List<String> fleets = random.nextInt(5) == 0 ? List.of("gpu") : List.of();
      queue.add(
          new QueuedRun(
              "run-" + i,
              "run-" + i,
              random.nextInt(5) * 10,
              NOW.minusSeconds(random.nextInt(100_000)),
              resources,
              fleets,
              List.of("job-" + i),
              random.nextBoolean() ? Duration.ofHours(1) : null));
    }
    return queue;
  }
}
