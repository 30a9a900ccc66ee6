package dev.bosun.scheduler;

/**
 * One stage of the rank step: a penalty for placing a job on a host; the chain adds them up and the
 * lowest total wins.
 */
interface HostScorer {
  /** The penalty for this candidate; lower is better. */
  double penalty(Candidate candidate);
}
