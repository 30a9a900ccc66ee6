package dev.bosun.scheduler;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An immutable picture of every instance the scheduler may place jobs on, taken before it runs.
 *
 * @param instances the instances, each id once
 * @param running what is known of the runs holding resources, by run id, for preemption; a run not
 *     listed is not preemptible
 */
public record ClusterSnapshot(
    List<InstanceView> instances, java.util.Map<String, RunningRun> running) {
  public static final ClusterSnapshot EMPTY = new ClusterSnapshot(List.of());

  /** A snapshot in which no running run is preemptible. */
  public ClusterSnapshot(List<InstanceView> instances) {
    this(instances, java.util.Map.of());
  }

  public ClusterSnapshot {
    instances = List.copyOf(instances);
    running = java.util.Map.copyOf(running);
    Set<String> ids = new HashSet<>();
    for (InstanceView instance : instances) {
      if (!ids.add(instance.instanceId())) {
        throw new IllegalArgumentException(
            "instance " + instance.instanceId() + " appears twice in the snapshot");
      }
    }
  }
}
