package dev.bosun.api;

import java.util.List;

/** What applying a fleet file would do: each host added, kept, updated or removed. */
public record FleetPlan(String project, String name, List<HostChange> hosts) {
  public FleetPlan {
    hosts = List.copyOf(hosts);
  }

  /**
   * One host of the plan.
   *
   * @param action {@code add}, {@code keep}, {@code update} (settings changed: provisioned again)
   *     or {@code remove}
   * @param status the host's current status, or null for a new host
   */
  public record HostChange(String host, String action, String status) {}
}
