package dev.bosun.scheduler;

/**
 * What the scheduler knows of a run whose jobs hold resources, for preemption.
 *
 * @param priority its priority
 * @param preemptible whether it may be stopped for a waiting run of higher priority
 * @param ending whether it is being stopped already (its resources are on their way back)
 */
public record RunningRun(int priority, boolean preemptible, boolean ending) {}
