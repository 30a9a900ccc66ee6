package dev.bosun.server.runs;

import dev.bosun.model.config.StopCriteria;
import dev.bosun.model.state.TerminationReason;
import dev.bosun.store.JobRecord;
import dev.bosun.store.RunRecord;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * How the jobs of one attempt of a run decide its end. A run of one job ends as its job does. A
 * multi-node run (a gang) goes on while any of its jobs runs; the first job to end for any reason
 * but success stops the others ({@code gang_member_failed}), and so does the master (rank 0)
 * finishing under {@code stop_criteria: master-done} ({@code master_job_done}). When the last job
 * has ended, the run ends — or the whole gang is retried — for the reason of the first job that did
 * not succeed; if all succeeded, it is done.
 */
final class RunEnding {
  private RunEnding() {}

  /** True for the ends that do not decide the run: success, and stops caused by another job. */
  static boolean isFollower(TerminationReason reason) {
    return reason == TerminationReason.DONE_BY_AGENT
        || reason == TerminationReason.GANG_MEMBER_FAILED
        || reason == TerminationReason.MASTER_JOB_DONE;
  }

  /**
   * The reason to stop the other running jobs of the attempt with, now that {@code ended} has
   * ended; null to let them run. Nothing is stopped for a run the user is stopping (its jobs are
   * all being stopped already).
   */
  static TerminationReason stopsTheOthers(JobRecord ended, RunSpec spec, RunRecord run) {
    if (run.stopRequest() != null) {
      return null;
    }
    TerminationReason why = ended.terminationReason();
    if (!isFollower(why)) {
      return TerminationReason.GANG_MEMBER_FAILED;
    }
    if (why == TerminationReason.DONE_BY_AGENT
        && ended.jobNum() == 0
        && spec.stopCriteria() == StopCriteria.MASTER_DONE) {
      return TerminationReason.MASTER_JOB_DONE;
    }
    return null;
  }

  /**
   * The job whose end decides how the finished attempt ends the run: the first (by end time, then
   * rank) that ended for a reason other than success or a stop caused by another job; null when
   * every job succeeded or followed one that did.
   */
  static JobRecord cause(List<JobRecord> attempt) {
    return attempt.stream()
        .filter(j -> j.terminationReason() != null && !isFollower(j.terminationReason()))
        .min(
            Comparator.comparing(
                    (JobRecord j) -> j.finishedAt() == null ? Instant.MAX : j.finishedAt())
                .thenComparingInt(JobRecord::jobNum))
        .orElse(null);
  }
}
