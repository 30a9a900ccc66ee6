package dev.bosun.bench;

import dev.bosun.scheduler.ClusterSnapshot;
import dev.bosun.scheduler.Plan;
import dev.bosun.scheduler.QueuedRun;
import dev.bosun.scheduler.Scheduler;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one scheduling pass of the pure scheduler, as the server runs it on every submission
 * and job end.
 *
 * <ul>
 *   <li>{@code plan}: a queue of {@code runs} runs of mixed sizes on {@code instances} hosts with
 *       {@code gpusPerInstance} GPUs each; {@code idle} hosts are empty, {@code busy} ones already
 *       run jobs. Most runs wait (the queue asks for several times the cluster), so this also
 *       measures the wait reasons.
 *   <li>{@code planOneRunOnLocalHost}: the end-to-end benchmark's case, one small run on the one
 *       idle local host.
 *   <li>{@code planLargeQueue}: the scale, 50,000 queued single-node runs of mixed sizes on
 *       5,000 idle hosts with 8 GPUs each (one plan decides every run: placements per second =
 *       50,000 / the time of one plan).
 *   <li>{@code planGang64}: one 64-node run (8×H100 per node) on the same 5,000 hosts, all in
 *       fleets with {@code placement: cluster}.
 * </ul>
 *
 * <p>Run with {@code bench/run-jmh.sh}; see docs/BENCHMARKS.md.
 */
@BenchmarkMode(Mode.AverageTime)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 3)
@State(Scope.Benchmark)
public class SchedulerBenchmark {
  private final Scheduler scheduler = new Scheduler();

  /** A large cluster and a long queue. */
  @State(Scope.Benchmark)
  public static class Cluster {
    @Param({"100"})
    public int instances;

    @Param({"8"})
    public int gpusPerInstance;

    @Param({"2000"})
    public int runs;

    @Param({"idle", "busy"})
    public String hosts;

    ClusterSnapshot snapshot;
    List<QueuedRun> queue;

    @Setup(Level.Trial)
    public void setUp() {
      snapshot = SchedulerWorkload.cluster(instances, gpusPerInstance, hosts.equals("busy"));
      queue = SchedulerWorkload.queue(runs, 42);
    }
  }

  /** The local fleet of one small machine and a single run. */
  @State(Scope.Benchmark)
  public static class LocalHost {
    ClusterSnapshot snapshot;
    List<QueuedRun> queue;

    @Setup(Level.Trial)
    public void setUp() {
      snapshot = SchedulerWorkload.localHost();
      queue = SchedulerWorkload.oneSmallRun();
    }
  }

  /** 5,000 hosts × 8 GPUs, idle, in cluster fleets; 50,000 queued runs and one 64-node gang. */
  @State(Scope.Benchmark)
  public static class Large {
    ClusterSnapshot snapshot;
    List<QueuedRun> queue;
    List<QueuedRun> gang;

    @Setup(Level.Trial)
    public void setUp() {
      snapshot = SchedulerWorkload.clusterFleets(SchedulerWorkload.cluster(5000, 8, false));
      queue = SchedulerWorkload.queue(50_000, 42);
      gang = SchedulerWorkload.gang(64);
    }
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Plan planLargeQueue(Large large) {
    return scheduler.plan(
        large.snapshot, large.queue, SchedulerWorkload.NOW, new SplittableRandom(1));
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Plan planGang64(Large large) {
    return scheduler.plan(
        large.snapshot, large.gang, SchedulerWorkload.NOW, new SplittableRandom(1));
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public Plan plan(Cluster cluster) {
    return scheduler.plan(
        cluster.snapshot, cluster.queue, SchedulerWorkload.NOW, new SplittableRandom(1));
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Plan planOneRunOnLocalHost(LocalHost local) {
    return scheduler.plan(
        local.snapshot, local.queue, SchedulerWorkload.NOW, new SplittableRandom(1));
  }
}
