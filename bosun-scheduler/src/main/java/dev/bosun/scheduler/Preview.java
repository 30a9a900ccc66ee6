package dev.bosun.scheduler;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What would happen to a run submitted now, for {@code bosun apply}'s plan: where it would start
 * (and with what), or why it would wait or never fit, with each host's verdict. A preview does not
 * account for other queued runs.
 *
 * @param outcome placed (with the instance and allocation), waiting, or unplaceable; its run id is
 *     {@link #RUN_ID}
 * @param hosts every instance of the snapshot, in snapshot order, with its verdict
 */
public record Preview(RunOutcome outcome, List<HostReport> hosts) {
  /** The run id a preview's outcome carries. */
  public static final String RUN_ID = "preview";

  public Preview {
    Objects.requireNonNull(outcome, "outcome is null");
    hosts = List.copyOf(hosts);
  }

  /** Where the run's single job would start now, if it would. */
  public Optional<Placement> placement() {
    return outcome instanceof Placed placed
        ? Optional.of(placed.placements().getFirst())
        : Optional.empty();
  }
}
