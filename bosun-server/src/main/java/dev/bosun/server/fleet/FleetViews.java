package dev.bosun.server.fleet;

import dev.bosun.api.FleetInfo;
import dev.bosun.api.InstanceInfo;
import dev.bosun.model.state.FleetStatus;
import dev.bosun.store.FleetRecord;
import dev.bosun.store.InstanceRecord;
import dev.bosun.store.JobRecord;
import dev.bosun.store.ProjectRecord;
import dev.bosun.store.Store;
import java.util.List;

/** Fleets and their instances with what is busy, for {@code bosun fleet}. */
public final class FleetViews {
  private final Store store;

  public FleetViews(Store store) {
    this.store = store;
  }

  public List<FleetInfo> list(ProjectRecord project) {
    List<InstanceRecord> instances = store.instances();
    List<JobRecord> jobs = store.activeJobs().stream().filter(JobRecord::holdsResources).toList();
    return store.fleets(project.id()).stream().map(fleet -> fleet(fleet, instances, jobs)).toList();
  }

  private static FleetInfo fleet(
      FleetRecord fleet, List<InstanceRecord> instances, List<JobRecord> jobs) {
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
    return new FleetInfo(fleet.name(), fleet.kind(), infos);
  }
}
