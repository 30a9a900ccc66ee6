package dev.bosun.server.fleet;

import dev.bosun.api.FleetInfo;
import dev.bosun.api.InstanceInfo;
import dev.bosun.model.error.BosunException;
import dev.bosun.model.error.ErrorCode;
import dev.bosun.model.state.FleetStatus;
import dev.bosun.store.FleetRecord;
import dev.bosun.store.FleetShare;
import dev.bosun.store.InstanceRecord;
import dev.bosun.store.JobRecord;
import dev.bosun.store.ProjectRecord;
import dev.bosun.store.Store;
import java.util.ArrayList;
import java.util.List;

/**
 * Fleets as a project sees them, for {@code bosun fleet}: its own with what is busy and whom they
 * are shared with, then the fleets other projects share with it ({@code owner/name}). Sharing a
 * fleet lets another project's runs use its hosts; they then compete for them by priority and fair
 * share (project weights).
 */
public final class FleetViews {
  private final Store store;
  private final Runnable sharesChanged;

  /**
   * @param sharesChanged told when a fleet is shared or no longer shared (placements may change)
   */
  public FleetViews(Store store, Runnable sharesChanged) {
    this.store = store;
    this.sharesChanged = sharesChanged;
  }

  public List<FleetInfo> list(ProjectRecord project) {
    List<InstanceRecord> instances = store.instances();
    List<JobRecord> jobs = store.activeJobs().stream().filter(JobRecord::holdsResources).toList();
    List<FleetInfo> fleets = new ArrayList<>();
    for (FleetRecord fleet : store.fleets(project.id())) {
      fleets.add(
          fleet(
              fleet.name(),
              fleet,
              project.name(),
              store.fleetSharedWith(fleet.id()),
              instances,
              jobs));
    }
    for (FleetShare share : store.sharedWith(project.id())) {
      fleets.add(
          fleet(
              share.qualifiedName(), share.fleet(), share.ownerName(), List.of(), instances, jobs));
    }
    return fleets;
  }

  /** Shares the project's fleet with another project; sharing twice changes nothing. */
  public FleetInfo share(ProjectRecord owner, String fleetName, String withProject) {
    FleetRecord fleet = ownFleet(owner, fleetName);
    ProjectRecord other = otherProject(owner, withProject);
    if (store.shareFleet(fleet.id(), other.id())) {
      sharesChanged.run();
    }
    return shown(owner, fleetName);
  }

  /**
   * Stops sharing the fleet: the other project's running jobs go on to their end, no new ones are
   * placed there.
   */
  public FleetInfo unshare(ProjectRecord owner, String fleetName, String withProject) {
    FleetRecord fleet = ownFleet(owner, fleetName);
    ProjectRecord other = otherProject(owner, withProject);
    if (!store.unshareFleet(fleet.id(), other.id())) {
      throw new BosunException(
          ErrorCode.NOT_FOUND,
          "fleet " + fleetName + " is not shared with project '" + withProject + "'");
    }
    sharesChanged.run();
    return shown(owner, fleetName);
  }

  private FleetInfo shown(ProjectRecord owner, String fleetName) {
    return list(owner).stream().filter(f -> f.name().equals(fleetName)).findFirst().orElseThrow();
  }

  private FleetRecord ownFleet(ProjectRecord owner, String fleetName) {
    return store
        .fleet(owner.id(), fleetName)
        .filter(f -> f.status() != FleetStatus.DELETED)
        .orElseThrow(
            () ->
                new BosunException(
                    ErrorCode.NOT_FOUND,
                    "project '"
                        + owner.name()
                        + "' has no fleet "
                        + fleetName
                        + (fleetName.contains("/")
                            ? " (only a fleet's own project can share it)"
                            : "; see bosun fleet")));
  }

  private ProjectRecord otherProject(ProjectRecord owner, String withProject) {
    ProjectRecord other =
        store
            .project(withProject)
            .orElseThrow(
                () ->
                    new BosunException(
                        ErrorCode.PROJECT_NOT_FOUND, "no project named '" + withProject + "'"));
    if (other.id().equals(owner.id())) {
      throw new BosunException(
          ErrorCode.INVALID_REQUEST,
          "a fleet is always available to its own project; name another project to share it with");
    }
    return other;
  }

  private static FleetInfo fleet(
      String name,
      FleetRecord fleet,
      String owner,
      List<String> sharedWith,
      List<InstanceRecord> instances,
      List<JobRecord> jobs) {
    List<InstanceInfo> infos =
        instances.stream()
            .filter(i -> i.fleetId().equals(fleet.id()))
            .map(
                instance -> {
                  List<JobRecord> here =
                      jobs.stream().filter(j -> instance.id().equals(j.instanceId())).toList();
                  int cpus = here.stream().mapToInt(j -> j.cpus() == null ? 0 : j.cpus()).sum();
                  long memory =
                      here.stream().mapToLong(j -> j.memoryMb() == null ? 0 : j.memoryMb()).sum();
                  int gpus = here.stream().mapToInt(j -> j.gpus().size()).sum();
                  String status =
                      !instance.status().canRunJobs()
                          ? instance.status().wireName()
                          : fleet.status() == FleetStatus.DRAINING
                              ? "draining"
                              : here.isEmpty() ? "idle" : "busy";
                  return new InstanceInfo(
                      instance.name(),
                      status,
                      instance.resources(),
                      instance.agentVersion(),
                      cpus,
                      memory,
                      gpus,
                      here.size(),
                      instance.statusMessage());
                })
            .toList();
    return new FleetInfo(name, fleet.kind(), infos, owner, sharedWith);
  }
}
