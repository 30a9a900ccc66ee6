package dev.bosun.store;

import java.util.List;

/**
 * The outcome of committing a plan against the newest state. A placement is refused when its job is
 * no longer queued or its instance no longer has the resources free; the scheduler re-plans refused
 * jobs on fresh state.
 */
public sealed interface CommitResult {
  List<String> committedJobIds();

  List<String> refusedJobIds();

  /** Every placement was committed. */
  record Committed(List<String> committedJobIds) implements CommitResult {
    public List<String> refusedJobIds() {
      return List.of();
    }
  }

  /** Some placements were committed and others refused as stale. */
  record PartiallyCommitted(List<String> committedJobIds, List<String> refusedJobIds)
      implements CommitResult {}

  /** Every placement was refused. */
  record Stale(List<String> refusedJobIds) implements CommitResult {
    public List<String> committedJobIds() {
      return List.of();
    }
  }

  static CommitResult of(List<String> committed, List<String> refused) {
    if (refused.isEmpty()) {
      return new Committed(List.copyOf(committed));
    }
    if (committed.isEmpty()) {
      return new Stale(List.copyOf(refused));
    }
    return new PartiallyCommitted(List.copyOf(committed), List.copyOf(refused));
  }
}
