package dev.bosun.scheduler;

import java.time.Instant;
import java.util.Objects;

/**
 * A run that fits the total capacity of enough hosts but cannot start now: it stays queued.
 *
 * @param runId the run
 * @param reason why it waits, in words for people
 * @param estimatedStart when it is expected to start, or null when unknown (a job it waits for has
 *     no {@code max_duration}, or it waits behind another run)
 */
public record Waiting(String runId, String reason, Instant estimatedStart) implements RunOutcome {
  public Waiting {
    Objects.requireNonNull(runId, "runId is null");
    Objects.requireNonNull(reason, "reason is null");
  }
}
