package dev.bosun.server.runs;

import dev.bosun.model.state.TerminationReason;
import dev.bosun.store.JobRecord;
import java.util.List;

/**
 * When a rolling update of a service stops: a replica's jobs of the new deployment failed {@link
 * #FAILED_TRIES} times, or one of them was stopped for never becoming ready ({@link #NEVER_READY}).
 * One rule for the rollout that applies it and for {@code bosun ps}, which says so.
 */
public final class RolloutRule {
  /** The start of the message of a new replica stopped for never becoming ready. */
  public static final String NEVER_READY = "not ready within ";

  /** How many jobs of the new deployment may fail for one replica before the rollout stops. */
  public static final int FAILED_TRIES = 3;

  private RolloutRule() {}

  /** A job of {@code deployment} that ended on its own (not retired by the server). */
  static boolean failedTry(JobRecord job, int deployment) {
    return job.deploymentNum() == deployment
        && job.status().isFinished()
        && job.terminationReason() != TerminationReason.SCALED_DOWN;
  }

  /** A job of {@code deployment} stopped for never becoming ready. */
  static boolean neverReady(JobRecord job, int deployment) {
    return job.deploymentNum() == deployment
        && job.message() != null
        && job.message().startsWith(NEVER_READY);
  }

  /** Whether the rollout to {@code deployment} stops at replica {@code num}. */
  public static boolean stalled(List<JobRecord> jobs, int num, int deployment) {
    List<JobRecord> mine = jobs.stream().filter(j -> j.jobNum() == num).toList();
    return mine.stream().anyMatch(j -> neverReady(j, deployment))
        || mine.stream().filter(j -> failedTry(j, deployment)).count() >= FAILED_TRIES;
  }
}
