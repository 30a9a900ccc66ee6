package dev.bosun.store;

import static dev.bosun.store.StoreRows.toJson;

import dev.bosun.model.host.HostResources;
import dev.bosun.model.state.FleetStatus;
import dev.bosun.model.state.InstanceStatus;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Fleets, instances and recorded host keys: the fleet half of {@link JdbcStore}. */
final class JdbcFleets {
  private final Jdbi jdbi;
  private final InstantSource clock;
  private final String instanceSelect;

  JdbcFleets(Jdbi jdbi, InstantSource clock, String instanceSelect) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.instanceSelect = instanceSelect;
  }

  private static String newId() {
    return UUID.randomUUID().toString();
  }

  FleetRecord ensureFleet(String projectId, String name, String kind) {
    return jdbi.inTransaction(
        h -> {
          Optional<FleetRecord> existing =
              h.createQuery("SELECT * FROM fleets WHERE project_id = ? AND name = ?")
                  .bind(0, projectId)
                  .bind(1, name)
                  .map((rs, ctx) -> fleet(rs))
                  .findOne();
          if (existing.isPresent()) {
            return existing.get();
          }
          FleetRecord fleet = new FleetRecord(newId(), projectId, name, kind);
          h.createUpdate(
                  "INSERT INTO fleets (id, project_id, name, kind, created_at) VALUES (?, ?, ?, ?, ?)")
              .bind(0, fleet.id())
              .bind(1, projectId)
              .bind(2, name)
              .bind(3, kind)
              .bind(4, clock.millis())
              .execute();
          return fleet;
        });
  }

  InstanceRecord ensureInstance(String fleetId, String name) {
    jdbi.useTransaction(
        h -> {
          long count =
              h.createQuery("SELECT COUNT(*) FROM instances WHERE fleet_id = ? AND name = ?")
                  .bind(0, fleetId)
                  .bind(1, name)
                  .mapTo(Long.class)
                  .one();
          if (count == 0) {
            h.createUpdate(
                    "INSERT INTO instances (id, fleet_id, name, status, agent_cursor, updated_at) "
                        + "VALUES (?, ?, ?, ?, 0, ?)")
                .bind(0, newId())
                .bind(1, fleetId)
                .bind(2, name)
                .bind(3, InstanceStatus.PENDING.name())
                .bind(4, clock.millis())
                .execute();
          }
        });
    return jdbi.withHandle(
        h ->
            h.createQuery(instanceSelect + " WHERE i.fleet_id = ? AND i.name = ?")
                .bind(0, fleetId)
                .bind(1, name)
                .map((rs, ctx) -> StoreRows.instance(rs))
                .one());
  }

  Optional<FleetRecord> fleet(String projectId, String name) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM fleets WHERE project_id = ? AND name = ?")
                .bind(0, projectId)
                .bind(1, name)
                .map((rs, ctx) -> fleet(rs))
                .findOne());
  }

  private static FleetRecord fleet(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new FleetRecord(
        rs.getString("id"),
        rs.getString("project_id"),
        rs.getString("name"),
        rs.getString("kind"),
        FleetStatus.valueOf(rs.getString("status")));
  }

  void updateFleetStatus(String fleetId, FleetStatus status) {
    jdbi.useTransaction(
        h -> {
          h.createUpdate("UPDATE fleets SET status = ? WHERE id = ?")
              .bind(0, status.name())
              .bind(1, fleetId)
              .execute();
          if (status == FleetStatus.DELETED) { // a fleet applied anew is not shared again
            h.createUpdate("DELETE FROM fleet_shares WHERE fleet_id = ?")
                .bind(0, fleetId)
                .execute();
          }
        });
  }

  /** Shares the fleet with the project; false when it already was. */
  boolean shareFleet(String fleetId, String projectId) {
    return jdbi.inTransaction(
        h -> {
          boolean known =
              h.createQuery(
                          "SELECT COUNT(*) FROM fleet_shares WHERE fleet_id = ? AND project_id = ?")
                      .bind(0, fleetId)
                      .bind(1, projectId)
                      .mapTo(Long.class)
                      .one()
                  > 0;
          if (!known) {
            h.createUpdate(
                    "INSERT INTO fleet_shares (fleet_id, project_id, shared_at) VALUES (?, ?, ?)")
                .bind(0, fleetId)
                .bind(1, projectId)
                .bind(2, clock.millis())
                .execute();
          }
          return !known;
        });
  }

  /** Stops sharing the fleet with the project; false when it was not shared with it. */
  boolean unshareFleet(String fleetId, String projectId) {
    return jdbi.withHandle(
        h ->
            h.createUpdate("DELETE FROM fleet_shares WHERE fleet_id = ? AND project_id = ?")
                    .bind(0, fleetId)
                    .bind(1, projectId)
                    .execute()
                > 0);
  }

  /** The names of the projects the fleet is shared with. */
  List<String> fleetSharedWith(String fleetId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT p.name FROM fleet_shares s JOIN projects p ON p.id = s.project_id"
                        + " WHERE s.fleet_id = ? ORDER BY p.name")
                .bind(0, fleetId)
                .mapTo(String.class)
                .list());
  }

  /** The fleets of other projects shared with the project, not deleted. */
  List<FleetShare> sharedWith(String projectId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT f.*, p.name AS owner_name FROM fleet_shares s"
                        + " JOIN fleets f ON f.id = s.fleet_id JOIN projects p ON p.id = f.project_id"
                        + " WHERE s.project_id = ? AND f.status <> ? ORDER BY p.name, f.name")
                .bind(0, projectId)
                .bind(1, FleetStatus.DELETED.name())
                .map((rs, ctx) -> new FleetShare(fleet(rs), rs.getString("owner_name")))
                .list());
  }

  FleetRecord saveFleet(
      String projectId, String name, String kind, String configuration, boolean cluster) {
    FleetRecord fleet = ensureFleet(projectId, name, kind);
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE fleets SET configuration = ?, kind = ?, status = ?, cluster = ?"
                        + " WHERE id = ?")
                .bind(0, configuration)
                .bind(1, kind)
                .bind(2, FleetStatus.ACTIVE.name())
                .bind(3, cluster)
                .bind(4, fleet.id())
                .execute());
    return new FleetRecord(fleet.id(), projectId, name, kind);
  }

  Optional<String> fleetConfiguration(String fleetId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT configuration FROM fleets WHERE id = ?")
                .bind(0, fleetId)
                .mapTo(String.class)
                .findOne());
  }

  InstanceRecord saveHost(String fleetId, String name, String hostSpec) {
    InstanceRecord instance = ensureInstance(fleetId, name);
    jdbi.useHandle(
        h ->
            h.createUpdate("UPDATE instances SET host_spec = ?, updated_at = ? WHERE id = ?")
                .bind(0, hostSpec)
                .bind(1, clock.millis())
                .bind(2, instance.id())
                .execute());
    return instance(instance.id()).orElseThrow();
  }

  void updateInstanceStatus(String instanceId, InstanceStatus status, String message) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE instances SET status = ?, status_message = ?, updated_at = ? WHERE id = ?")
                .bind(0, status.name())
                .bind(1, message)
                .bind(2, clock.millis())
                .bind(3, instanceId)
                .execute());
  }

  Optional<String> hostKey(String fleetId, String host, int port) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT public_key FROM host_keys WHERE fleet_id = ? AND host = ? AND port = ?")
                .bind(0, fleetId)
                .bind(1, host)
                .bind(2, port)
                .mapTo(String.class)
                .findOne());
  }

  void rememberHostKey(String fleetId, String host, int port, String publicKey) {
    jdbi.useTransaction(
        h -> {
          h.createUpdate("DELETE FROM host_keys WHERE fleet_id = ? AND host = ? AND port = ?")
              .bind(0, fleetId)
              .bind(1, host)
              .bind(2, port)
              .execute();
          h.createUpdate(
                  "INSERT INTO host_keys (fleet_id, host, port, public_key, recorded_at)"
                      + " VALUES (?, ?, ?, ?, ?)")
              .bind(0, fleetId)
              .bind(1, host)
              .bind(2, port)
              .bind(3, publicKey)
              .bind(4, clock.millis())
              .execute();
        });
  }

  void updateInstance(
      String instanceId, InstanceStatus status, HostResources resources, String agentVersion) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE instances SET status = ?, resources = COALESCE(?, resources), "
                        + "agent_version = COALESCE(?, agent_version), updated_at = ? WHERE id = ?")
                .bind(0, status.name())
                .bind(1, toJson(resources))
                .bind(2, agentVersion)
                .bind(3, clock.millis())
                .bind(4, instanceId)
                .execute());
  }

  void updateAgentCursor(String instanceId, String bootId, long cursor) {
    jdbi.useHandle(
        h ->
            h.createUpdate("UPDATE instances SET agent_boot_id = ?, agent_cursor = ? WHERE id = ?")
                .bind(0, bootId)
                .bind(1, cursor)
                .bind(2, instanceId)
                .execute());
  }

  List<FleetRecord> fleets(String projectId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM fleets WHERE project_id = ? AND status <> ? ORDER BY name")
                .bind(0, projectId)
                .bind(1, FleetStatus.DELETED.name())
                .map((rs, ctx) -> fleet(rs))
                .list());
  }

  List<InstanceRecord> instances() {
    return jdbi.withHandle(
        h ->
            h.createQuery(instanceSelect + " ORDER BY f.name, i.name")
                .map((rs, ctx) -> StoreRows.instance(rs))
                .list());
  }

  Optional<InstanceRecord> instance(String instanceId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(instanceSelect + " WHERE i.id = ?")
                .bind(0, instanceId)
                .map((rs, ctx) -> StoreRows.instance(rs))
                .findOne());
  }
}
