package dev.bosun.scheduler;

import java.util.Objects;

/**
 * A run the plan stops (gracefully) to make room for a waiting run of higher priority. The server
 * stops it with reason {@code preempted} and puts it back in the queue.
 *
 * @param runId the preemptible run to stop
 * @param forRunId the waiting run it makes room for
 * @param instanceId the host where the room is made
 */
public record Preemption(String runId, String forRunId, String instanceId) {
  public Preemption {
    Objects.requireNonNull(runId, "runId is null");
    Objects.requireNonNull(forRunId, "forRunId is null");
    Objects.requireNonNull(instanceId, "instanceId is null");
  }
}
