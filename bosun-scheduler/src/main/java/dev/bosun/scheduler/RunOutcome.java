package dev.bosun.scheduler;

/**
 * What the scheduler decided for one queued run: placed now, waiting, or unplaceable on the current
 * hosts.
 */
public sealed interface RunOutcome permits Placed, Waiting, Unplaceable {
  /** The run the outcome is for. */
  String runId();
}
