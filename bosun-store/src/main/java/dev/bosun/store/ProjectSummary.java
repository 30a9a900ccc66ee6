package dev.bosun.store;

import java.util.List;

/**
 * A project as listed: its fair-share weight and its members' names.
 *
 * @param weight its share of the GPUs against other projects on shared fleets; 1 by default
 */
public record ProjectSummary(String id, String name, double weight, List<String> members) {
  public ProjectSummary {
    members = List.copyOf(members);
  }
}
