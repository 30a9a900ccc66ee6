package dev.bosun.model.state;

/**
 * Lifecycle of a fleet: {@code active → draining → deleted}. A draining fleet takes no new jobs; it
 * is deleted once the jobs on its hosts have ended. A deleted fleet is hidden; applying its file
 * again makes it active.
 */
public enum FleetStatus {
  ACTIVE,
  DRAINING,
  DELETED;

  public String wireName() {
    return name().toLowerCase();
  }
}
