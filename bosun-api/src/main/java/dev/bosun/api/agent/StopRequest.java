package dev.bosun.api.agent;

import dev.bosun.model.state.TerminationReason;

/**
 * Stop a job: SIGTERM to its process group, then SIGKILL after the job's stop duration; {@code
 * abort} kills at once.
 */
public record StopRequest(boolean abort, TerminationReason reason) {}
