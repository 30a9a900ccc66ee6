package dev.bosun.scheduler;

import java.util.List;

/**
 * The ordering stage: the order in which queued runs get their turn. Fair share between projects
 * and users will be another ordering.
 */
interface QueueOrdering {
  /** The queue in the order runs are considered; every run exactly once. */
  List<QueuedRun> order(List<QueuedRun> queue);
}
