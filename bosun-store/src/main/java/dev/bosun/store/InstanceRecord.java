package dev.bosun.store;

import dev.bosun.model.host.HostResources;
import dev.bosun.model.state.FleetStatus;
import dev.bosun.model.state.InstanceStatus;

/**
 * An instance of a fleet.
 *
 * @param resources what its agent reported, or null before the first contact
 * @param hostSpec how to reach the host (JSON, for SSH fleets), or null for the local fleet
 * @param statusMessage the provisioning step or the reason it failed, or null
 * @param agentBootId the boot id of the agent whose job changes were read up to {@code agentCursor}
 * @param fleetStatus the status of its fleet: only hosts of an active fleet take new jobs
 * @param fleetCluster whether its fleet has {@code placement: cluster} (takes multi-node runs)
 */
public record InstanceRecord(
    String id,
    String fleetId,
    String fleetName,
    String projectId,
    String name,
    InstanceStatus status,
    HostResources resources,
    String agentVersion,
    String agentBootId,
    long agentCursor,
    String hostSpec,
    String statusMessage,
    FleetStatus fleetStatus,
    boolean fleetCluster) {

  /** True when the scheduler may place new jobs here. */
  public boolean takesJobs() {
    return status.canRunJobs() && fleetStatus == FleetStatus.ACTIVE;
  }
}
