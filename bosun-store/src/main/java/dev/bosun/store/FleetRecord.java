package dev.bosun.store;

import dev.bosun.model.state.FleetStatus;

/** A fleet of a project: {@code kind} is {@code local} or {@code ssh}. */
public record FleetRecord(
    String id, String projectId, String name, String kind, FleetStatus status) {
  /** An active fleet. */
  public FleetRecord(String id, String projectId, String name, String kind) {
    this(id, projectId, name, kind, FleetStatus.ACTIVE);
  }
}
