package dev.bosun.server.proxy;

import dev.bosun.model.config.ReplicaRange;
import dev.bosun.model.config.ScalingSpec;
import dev.bosun.model.state.JobStatus;
import dev.bosun.server.runs.RunLifecycle;
import dev.bosun.server.runs.RunSpec;
import dev.bosun.store.JobRecord;
import dev.bosun.store.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets the number of replicas of services with {@code scaling}: {@code ceil(rps / target)} within
 * {@code replicas}, where rps is the average rate of requests through the proxy over {@code
 * window}. It scales up no sooner than {@code scale_up_delay} after the last change and down no
 * sooner than {@code scale_down_delay}, except from zero, which happens at once (the first request
 * to a scaled-to-zero service waits for its replica). Replicas it removes end with {@code
 * scaled_down}, queued ones first, then the highest-numbered. The time of the last change is kept
 * in memory: after a server restart the delays count from the restart.
 */
final class Autoscaler {
  private static final Logger LOG = LoggerFactory.getLogger(Autoscaler.class);

  private final RunLifecycle lifecycle;
  private final java.util.function.Consumer<List<JobRecord>> outOfRotation;
  private final Map<String, Instant> lastChange = new ConcurrentHashMap<>();

  /**
   * @param outOfRotation takes the replicas it removes out of the proxy's rotation
   */
  Autoscaler(RunLifecycle lifecycle, java.util.function.Consumer<List<JobRecord>> outOfRotation) {
    this.lifecycle = lifecycle;
    this.outOfRotation = outOfRotation;
  }

  /** How many replicas a rate asks for. */
  static int desired(double rps, ScalingSpec scaling, ReplicaRange range) {
    long wanted = (long) Math.ceil(rps / scaling.target() - 1e-9);
    return (int) Math.max(range.min(), Math.min(range.max(), wanted));
  }

  /**
   * Scales the run if its rate and delays say so.
   *
   * @param jobs the run's jobs, as stored
   * @param rps the run's request rate over its window
   * @param busy whether requests are in flight (answered or waiting): it keeps one replica at least
   */
  void adjust(
      RunRecord run, RunSpec spec, List<JobRecord> jobs, double rps, boolean busy, Instant now) {
    ScalingSpec scaling = spec.service().scaling();
    if (scaling == null
        || run.status().isFinished()
        || run.status() == dev.bosun.model.state.RunStatus.TERMINATING
        || run.stopRequest() != null) {
      return;
    }
    int current = (int) jobs.stream().filter(Autoscaler::counts).count();
    int desired = desired(rps, scaling, spec.service().replicas());
    if (busy && desired == 0) {
      desired = 1;
    }
    if (desired == current) {
      return;
    }
    Instant last =
        lastChange.computeIfAbsent(
            run.id(), id -> run.startedAt() != null ? run.startedAt() : run.submittedAt());
    Duration since = Duration.between(last, now);
    if (desired > current) {
      if (current > 0 && since.compareTo(scaling.scaleUpDelay()) < 0) {
        return;
      }
      LOG.info(
          "service {}: {} req/s over {} s: scaling up from {} to {} replicas",
          run.name(),
          String.format(java.util.Locale.ROOT, "%.2f", rps),
          scaling.window().toSeconds(),
          current,
          desired);
      lifecycle.replicaChanges().scaleTo(run.id(), desired);
    } else {
      if (since.compareTo(scaling.scaleDownDelay()) < 0) {
        return;
      }
      LOG.info(
          "service {}: {} req/s over {} s: scaling down from {} to {} replicas",
          run.name(),
          String.format(java.util.Locale.ROOT, "%.2f", rps),
          scaling.window().toSeconds(),
          current,
          desired);
      outOfRotation.accept(lifecycle.replicaChanges().scaleTo(run.id(), desired));
    }
    lastChange.put(run.id(), now);
  }

  /** A replica that counts towards the service's size: neither ended nor being stopped. */
  private static boolean counts(JobRecord job) {
    return !job.status().isFinished() && job.status() != JobStatus.TERMINATING;
  }

  /** Forgets runs that ended. */
  void retain(java.util.Set<String> runIds) {
    lastChange.keySet().retainAll(runIds);
  }
}
