package dev.bosun.store;

import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Users, tokens, projects and members: the accounts half of {@link JdbcStore}. */
final class JdbcAccounts {
  private final Jdbi jdbi;
  private final InstantSource clock;

  JdbcAccounts(Jdbi jdbi, InstantSource clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  private static String newId() {
    return UUID.randomUUID().toString();
  }

  boolean hasUsers() {
    return jdbi.withHandle(
        h -> h.createQuery("SELECT COUNT(*) FROM users").mapTo(Long.class).one() > 0);
  }

  UserRecord createUser(String name, boolean admin, String tokenHash) {
    UserRecord user = new UserRecord(newId(), name, admin);
    long now = clock.millis();
    jdbi.useTransaction(
        h -> {
          h.createUpdate("INSERT INTO users (id, name, admin, created_at) VALUES (?, ?, ?, ?)")
              .bind(0, user.id())
              .bind(1, name)
              .bind(2, admin)
              .bind(3, now)
              .execute();
          h.createUpdate("INSERT INTO tokens (token_hash, user_id, created_at) VALUES (?, ?, ?)")
              .bind(0, tokenHash)
              .bind(1, user.id())
              .bind(2, now)
              .execute();
        });
    return user;
  }

  Optional<UserRecord> userByTokenHash(String tokenHash) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT u.* FROM users u JOIN tokens t ON t.user_id = u.id WHERE t.token_hash = ?")
                .bind(0, tokenHash)
                .map((rs, ctx) -> StoreRows.user(rs))
                .findOne());
  }

  Optional<UserRecord> userByName(String name) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM users WHERE name = ?")
                .bind(0, name)
                .map((rs, ctx) -> StoreRows.user(rs))
                .findOne());
  }

  ProjectRecord createProject(String name, List<String> memberUserIds) {
    ProjectRecord project = new ProjectRecord(newId(), name);
    jdbi.useTransaction(
        h -> {
          h.createUpdate("INSERT INTO projects (id, name, created_at) VALUES (?, ?, ?)")
              .bind(0, project.id())
              .bind(1, name)
              .bind(2, clock.millis())
              .execute();
          for (String userId : memberUserIds) {
            h.createUpdate("INSERT INTO members (project_id, user_id, role) VALUES (?, ?, 'admin')")
                .bind(0, project.id())
                .bind(1, userId)
                .execute();
          }
        });
    return project;
  }

  Optional<ProjectRecord> project(String name) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT id, name FROM projects WHERE name = ?")
                .bind(0, name)
                .map((rs, ctx) -> new ProjectRecord(rs.getString("id"), rs.getString("name")))
                .findOne());
  }

  boolean isMember(String projectId, String userId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT COUNT(*) FROM members WHERE project_id = ? AND user_id = ?")
                    .bind(0, projectId)
                    .bind(1, userId)
                    .mapTo(Long.class)
                    .one()
                > 0);
  }

  List<String> projectNamesOf(String userId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT p.name FROM projects p JOIN members m ON m.project_id = p.id WHERE m.user_id = ? ORDER BY p.name")
                .bind(0, userId)
                .mapTo(String.class)
                .list());
  }

  void setProjectWeight(String projectId, double weight) {
    jdbi.useHandle(
        h ->
            h.createUpdate("UPDATE projects SET weight = ? WHERE id = ?")
                .bind(0, weight)
                .bind(1, projectId)
                .execute());
  }

  /** Every project with its weight and members, by name. */
  List<ProjectSummary> projects() {
    return jdbi.withHandle(
        h -> {
          java.util.Map<String, List<String>> members = new java.util.HashMap<>();
          h.createQuery(
                  "SELECT m.project_id, u.name FROM members m JOIN users u ON u.id = m.user_id"
                      + " ORDER BY u.name")
              .map((rs, ctx) -> java.util.Map.entry(rs.getString(1), rs.getString(2)))
              .forEach(
                  e ->
                      members
                          .computeIfAbsent(e.getKey(), k -> new java.util.ArrayList<>())
                          .add(e.getValue()));
          return h.createQuery("SELECT id, name, weight FROM projects ORDER BY name")
              .map(
                  (rs, ctx) ->
                      new ProjectSummary(
                          rs.getString("id"),
                          rs.getString("name"),
                          rs.getDouble("weight"),
                          members.getOrDefault(rs.getString("id"), List.of())))
              .list();
        });
  }

  /** Adds or replaces the user's key of that name. */
  void saveSshKey(String userId, String name, String publicKey) {
    jdbi.useTransaction(
        h -> {
          h.createUpdate("DELETE FROM ssh_keys WHERE user_id = ? AND name = ?")
              .bind(0, userId)
              .bind(1, name)
              .execute();
          h.createUpdate(
                  "INSERT INTO ssh_keys (user_id, name, public_key, created_at) VALUES (?, ?, ?, ?)")
              .bind(0, userId)
              .bind(1, name)
              .bind(2, publicKey)
              .bind(3, clock.millis())
              .execute();
        });
  }

  List<SshKeyRecord> sshKeys(String userId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT name, public_key, created_at FROM ssh_keys WHERE user_id = ? ORDER BY name")
                .bind(0, userId)
                .map(
                    (rs, ctx) ->
                        new SshKeyRecord(
                            rs.getString("name"),
                            rs.getString("public_key"),
                            java.time.Instant.ofEpochMilli(rs.getLong("created_at"))))
                .list());
  }

  boolean deleteSshKey(String userId, String name) {
    return jdbi.withHandle(
        h ->
            h.createUpdate("DELETE FROM ssh_keys WHERE user_id = ? AND name = ?")
                    .bind(0, userId)
                    .bind(1, name)
                    .execute()
                > 0);
  }

  /** The keys of every member of the project. */
  List<String> projectSshKeys(String projectId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT k.public_key FROM ssh_keys k JOIN members m ON m.user_id = k.user_id"
                        + " WHERE m.project_id = ? ORDER BY k.user_id, k.name")
                .bind(0, projectId)
                .mapTo(String.class)
                .list());
  }
}
