package dev.bosun.scheduler;

import java.util.List;
import java.util.Objects;

/**
 * A run all of whose jobs were placed.
 *
 * @param runId the run
 * @param placements one placement per job, in the run's job order
 */
public record Placed(String runId, List<Placement> placements) implements RunOutcome {
  public Placed {
    Objects.requireNonNull(runId, "runId is null");
    placements = List.copyOf(placements);
    if (placements.isEmpty()) {
      throw new IllegalArgumentException("a placed run has at least one placement");
    }
  }
}
