package dev.bosun.store;

/**
 * A fleet another project shares with a project: that project's runs may use its hosts.
 *
 * @param fleet the shared fleet
 * @param ownerName the name of the project that owns it
 */
public record FleetShare(FleetRecord fleet, String ownerName) {
  /** How the project it is shared with names it: {@code owner/fleet}. */
  public String qualifiedName() {
    return ownerName + "/" + fleet.name();
  }
}
