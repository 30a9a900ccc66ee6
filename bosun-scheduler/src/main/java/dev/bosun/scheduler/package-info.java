/**
 * Bosun's scheduler: placement and queueing as a pure function, {@code (ClusterSnapshot, queue,
 * now, random) → Plan}.
 *
 * <p>A planning pass works in stages, each a small type that later policies replace or extend:
 *
 * <ol>
 *   <li><b>Order</b> ({@code FairShareOrdering}): priority descending; within a priority, the
 *       project with the least use for its weight, inside it the user with the least use ({@code
 *       FairShare}, charged as runs get their turn); then submission time, then run id.
 *   <li><b>Filter</b> ({@code FeasibilityChain} of {@code FeasibilityCheck}s): readiness, fleet,
 *       cluster placement for multi-node runs, CPU architecture, disk, CPUs, memory, GPUs. Each
 *       check says whether a host fits a job now, later (busy) or never, and can explain why in a
 *       {@code Rejection}, which reasons are written from.
 *   <li><b>Hold</b> ({@code QueuePolicy}): which hosts waiting runs ahead keep from the runs behind
 *       them: {@code ReservationBackfill}, every waiting run reserves every host whose total
 *       capacity could fit it from its estimated start there; later runs may use it only if their
 *       {@code max_duration} ends them before every reservation there.
 *   <li><b>Rank</b> ({@code HostScorer}s): keep GPU hosts for GPU jobs, then bin-pack; ties go to
 *       the instance name.
 *   <li><b>Place</b>: all of a run's jobs on distinct hosts of one cluster fleet (multi-node), or
 *       none, on a working copy of the free capacity ({@code HostCapacity}) that later runs see.
 * </ol>
 *
 * <p>A run that does not start is {@link dev.bosun.scheduler.Waiting} when enough hosts could fit
 * it once free, with a reason and, when the jobs it waits for have expected ends, an estimated
 * start; or {@link dev.bosun.scheduler.Unplaceable} when not enough current hosts could fit it even
 * empty.
 */
package dev.bosun.scheduler;
