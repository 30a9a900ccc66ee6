package dev.bosun.server.runs;

import dev.bosun.model.state.JobStatus;
import dev.bosun.store.JobRecord;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** What {@code bosun ps} says of a running service: how many replicas are ready, and why not. */
final class ServiceViews {
  private ServiceViews() {}

  /**
   * "2/3 replicas ready; replica 1: does not accept connections on port 8000 (running for 3 min)",
   * with why a queued replica waits and how far a rolling update to {@code deployment} got.
   */
  static String readiness(
      int deployment,
      List<JobRecord> jobs,
      ReplicaReadiness readiness,
      Optional<String> queuedWhy) {
    List<JobRecord> active =
        jobs.stream()
            .filter(job -> !job.status().isFinished())
            .sorted(Comparator.comparingInt(JobRecord::jobNum))
            .toList();
    long ready = active.stream().filter(job -> readiness.ready(job.id()) == Boolean.TRUE).count();
    StringBuilder out =
        new StringBuilder()
            .append(ready)
            .append('/')
            .append(active.size())
            .append(active.size() == 1 ? " replica ready" : " replicas ready");
    for (JobRecord job : active) {
      String why =
          job.status() == JobStatus.RUNNING
              ? readiness.notReadyWhy(job.id())
              : job.status() == JobStatus.SUBMITTED
                  ? "queued" + queuedWhy.map(text -> ": " + text).orElse("")
                  : job.status().wireName();
      if (why != null) {
        out.append("; replica ").append(job.jobNum()).append(": ").append(why);
      }
    }
    long old =
        active.stream()
            .filter(
                job -> job.deploymentNum() < deployment && job.status() != JobStatus.TERMINATING)
            .count();
    if (old > 0) {
      out.append("; rolling to deployment ")
          .append(deployment)
          .append(": ")
          .append(old)
          .append(old == 1 ? " old replica left" : " old replicas left");
      long failed = jobs.stream().filter(job -> RolloutRule.failedTry(job, deployment)).count();
      java.util.Optional<JobRecord> neverReady =
          jobs.stream().filter(job -> RolloutRule.neverReady(job, deployment)).findFirst();
      if (neverReady.isPresent()) {
        out.append(" (stopped: replica ")
            .append(neverReady.get().jobNum())
            .append(" of the new configuration was ")
            .append(neverReady.get().message())
            .append("; fix the file and apply it again)");
      } else if (failed >= RolloutRule.FAILED_TRIES) {
        out.append(" (stopped: new replicas failed ")
            .append(failed)
            .append(" times; see bosun logs --replica N, fix the file and apply it again)");
      } else if (failed > 0) {
        out.append(" (")
            .append(failed)
            .append(" new replica(s) failed; see bosun logs --replica N)");
      }
    }
    return out.toString();
  }
}
