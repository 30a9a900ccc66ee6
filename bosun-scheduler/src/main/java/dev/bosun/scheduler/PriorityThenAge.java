package dev.bosun.scheduler;

import java.util.Comparator;
import java.util.List;

/**
 * Higher priority first, then older submissions, then run id, so that the order is total and
 * stable.
 */
final class PriorityThenAge implements QueueOrdering {
  static final Comparator<QueuedRun> ORDER =
      Comparator.comparingInt(QueuedRun::priority)
          .reversed()
          .thenComparing(QueuedRun::submittedAt)
          .thenComparing(QueuedRun::runId);

  @Override
  public List<QueuedRun> order(List<QueuedRun> queue) {
    return queue.stream().sorted(ORDER).toList();
  }
}
