package dev.bosun.api;

import java.util.List;

/**
 * A fleet and its instances.
 *
 * @param name how the asking project names it: {@code owner/name} when another project shares it
 * @param owner the project that owns it
 * @param sharedWith the projects it is shared with (listed to its owner only)
 */
public record FleetInfo(
    String name, String kind, List<InstanceInfo> instances, String owner, List<String> sharedWith) {
  public FleetInfo {
    sharedWith = sharedWith == null ? List.of() : List.copyOf(sharedWith);
  }
}
