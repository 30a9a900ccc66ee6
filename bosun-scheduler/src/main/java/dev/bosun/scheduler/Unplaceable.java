package dev.bosun.scheduler;

import java.util.Objects;

/**
 * A run that no current host could fit even if the host were empty. What happens to it (fail with
 * {@code failed_to_start_due_to_no_capacity} or keep waiting under its retry policy) is the
 * server's decision.
 *
 * @param runId the run
 * @param reason why no host fits, in words for people
 */
public record Unplaceable(String runId, String reason) implements RunOutcome {
  public Unplaceable {
    Objects.requireNonNull(runId, "runId is null");
    Objects.requireNonNull(reason, "reason is null");
  }
}
