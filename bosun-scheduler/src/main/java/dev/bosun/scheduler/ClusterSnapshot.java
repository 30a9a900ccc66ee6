package dev.bosun.scheduler;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An immutable picture of every instance the scheduler may place jobs on, taken before it runs.
 *
 * @param instances the instances, each id once
 */
public record ClusterSnapshot(List<InstanceView> instances) {
  public static final ClusterSnapshot EMPTY = new ClusterSnapshot(List.of());

  public ClusterSnapshot {
    instances = List.copyOf(instances);
    Set<String> ids = new HashSet<>();
    for (InstanceView instance : instances) {
      if (!ids.add(instance.instanceId())) {
        throw new IllegalArgumentException(
            "instance " + instance.instanceId() + " appears twice in the snapshot");
      }
    }
  }
}
