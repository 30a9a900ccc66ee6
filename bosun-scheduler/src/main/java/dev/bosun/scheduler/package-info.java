/**
 * Bosun's scheduler: placement and queueing as a pure function, {@code (ClusterSnapshot, queue,
 * now, random) → Plan}.
 *
 * <p>A planning pass works in stages, each a small type that later policies replace or extend:
 *
 * <ol>
 *   <li><b>Order</b> ({@code QueueOrdering}): priority descending, then submission time, then run
 *       id. Fair share between projects and users will be another ordering.
 *   <li><b>Filter</b> ({@code FeasibilityChain} of {@code FeasibilityCheck}s): readiness, fleet,
 *       CPU architecture, disk, CPUs, memory, GPUs. Each check says whether a host fits a job now,
 *       later (busy) or never, and can explain why in a {@code Rejection}, which reasons are
 *       written from.
 *   <li><b>Hold</b> ({@code QueuePolicy}): which hosts waiting runs ahead keep from the runs behind
 *       them. v1 is {@code NoBackfill}: a waiting run holds every host whose total capacity could
 *       fit it. Backfill with reservations (from {@code max_duration}) replaces it.
 *   <li><b>Rank</b> ({@code HostScorer}s): keep GPU hosts for GPU jobs, then bin-pack; ties go to
 *       the instance name.
 *   <li><b>Place</b>: all of a run's jobs on distinct hosts, or none, on a working copy of the free
 *       capacity ({@code HostCapacity}) that later runs see. Gang placement on one cluster fleet
 *       and preemption build on this.
 * </ol>
 *
 * <p>A run that does not start is {@link dev.bosun.scheduler.Waiting} when enough hosts could fit
 * it once free, with a reason and, when the jobs it waits for have expected ends, an estimated
 * start; or {@link dev.bosun.scheduler.Unplaceable} when not enough current hosts could fit it even
 * empty.
 */
package dev.bosun.scheduler;
