package dev.bosun.api;

import dev.bosun.model.host.HostResources;

/**
 * One instance of a fleet with its resources and what is busy; {@code message} is the provisioning
 * step or why the instance failed, when there is one.
 */
public record InstanceInfo(
    String name,
    String status,
    HostResources resources,
    String agentVersion,
    int busyCpus,
    long busyMemoryMb,
    int busyGpus,
    int runningJobs,
    String message) {}
