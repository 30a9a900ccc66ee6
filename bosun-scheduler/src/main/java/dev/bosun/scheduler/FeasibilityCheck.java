package dev.bosun.scheduler;

import java.util.Optional;

/**
 * One question asked of a host about a run's job, such as "does it have enough CPUs?". A check that rejects says why;
 * checks run in order, and the first that finds the host {@linkplain Rejection.Severity#NOT_ELIGIBLE not eligible}
 * ends the chain. Checks after the eligibility checks may assume the host's resources are known.
 */
interface FeasibilityCheck {
  /** Why the host does not take the job, or empty when this check passes. */
  Optional<Rejection> check(RunDemand demand, HostCapacity host);
}
