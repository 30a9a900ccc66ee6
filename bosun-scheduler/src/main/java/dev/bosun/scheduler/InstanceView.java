package dev.bosun.scheduler;

import dev.bosun.model.host.HostResources;
import dev.bosun.model.state.InstanceStatus;
import java.util.List;
import java.util.Objects;

/**
 * One instance as the scheduler sees it: what the host has and which jobs hold parts of it.
 *
 * @param instanceId the instance id
 * @param instanceName the instance name, used in reasons and to break ties
 * @param fleetName the fleet the instance belongs to
 * @param status the instance status; only instances that {@link InstanceStatus#canRunJobs() can run
 *     jobs} get jobs
 * @param resources what the agent detected, or null while not detected yet (the instance then gets
 *     no jobs)
 * @param allocations the jobs currently holding resources on the host
 * @param clusterFleet whether its fleet has {@code placement: cluster}: only such hosts take the
 *     jobs of multi-node runs, all from one fleet
 * @param blocks how many equal shares the host is split into ({@code blocks} of its fleet); 1 for a
 *     whole host. A job takes as many whole shares (CPUs, memory and GPUs) as it needs
 */
public record InstanceView(
    String instanceId,
    String instanceName,
    String fleetName,
    InstanceStatus status,
    HostResources resources,
    List<Allocation> allocations,
    boolean clusterFleet,
    int blocks) {
  public InstanceView {
    if (blocks < 1) {
      throw new IllegalArgumentException("blocks must be at least 1: " + blocks);
    }
    Objects.requireNonNull(instanceId, "instanceId is null");
    Objects.requireNonNull(instanceName, "instanceName is null");
    Objects.requireNonNull(fleetName, "fleetName is null");
    Objects.requireNonNull(status, "status is null");
    allocations = List.copyOf(allocations);
  }

  /** A whole host (no blocks). */
  public InstanceView(
      String instanceId,
      String instanceName,
      String fleetName,
      InstanceStatus status,
      HostResources resources,
      List<Allocation> allocations,
      boolean clusterFleet) {
    this(instanceId, instanceName, fleetName, status, resources, allocations, clusterFleet, 1);
  }

  /** An instance of a fleet without {@code placement: cluster}. */
  public InstanceView(
      String instanceId,
      String instanceName,
      String fleetName,
      InstanceStatus status,
      HostResources resources,
      List<Allocation> allocations) {
    this(instanceId, instanceName, fleetName, status, resources, allocations, false);
  }
}
