package dev.bosun.store;

import dev.bosun.model.state.RunStatus;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** The reads of a scheduling pass and of fair share: the scheduling half of {@link JdbcStore}. */
final class JdbcScheduling {
  private final Jdbi jdbi;
  private final String instanceSelect;
  private final List<String> activeRunStatuses;

  /**
   * @param activeRunStatuses the run statuses that are not finished, quoted for an SQL {@code IN}
   */
  JdbcScheduling(Jdbi jdbi, String instanceSelect, List<String> activeRunStatuses) {
    this.jdbi = jdbi;
    this.instanceSelect = instanceSelect;
    this.activeRunStatuses = activeRunStatuses;
  }

  SchedulingState state() {
    return jdbi.inTransaction(
        h -> {
          List<InstanceRecord> instances =
              h.createQuery(instanceSelect).map((rs, ctx) -> StoreRows.instance(rs)).list();
          List<JobRecord> holding = JobRows.holding(h);
          List<SchedulingState.QueuedJob> queued =
              h.createQuery(
                      "SELECT r.id AS run_id, r.project_id, r.name, r.status, r.priority, r.submitted_at, j.id AS job_id"
                          + " FROM runs r JOIN jobs j ON j.run_id = r.id"
                          // a provisioning or running service has queued jobs too: its replicas
                          // are placed one at a time, and one that ends is replaced
                          + " WHERE r.status IN (:submitted, :pending, :provisioning, :running)"
                          + " AND r.stop_request IS NULL"
                          + " AND j.status = :queued AND j.instance_id IS NULL"
                          + " ORDER BY r.submitted_at, r.id, j.job_num")
                  .bind("submitted", RunStatus.SUBMITTED.name())
                  .bind("pending", RunStatus.PENDING.name())
                  .bind("provisioning", RunStatus.PROVISIONING.name())
                  .bind("running", RunStatus.RUNNING.name())
                  .bind("queued", dev.bosun.model.state.JobStatus.SUBMITTED.name())
                  .map(
                      (rs, ctx) ->
                          new SchedulingState.QueuedJob(
                              rs.getString("run_id"),
                              rs.getString("project_id"),
                              rs.getString("name"),
                              RunStatus.valueOf(rs.getString("status")),
                              rs.getInt("priority"),
                              StoreRows.instant(rs, "submitted_at"),
                              rs.getString("job_id")))
                  .list();
          java.util.Map<String, String> runUsers = new java.util.HashMap<>();
          java.util.Map<String, String> runProjects = new java.util.HashMap<>();
          h.createQuery("SELECT id, user_id, project_id FROM runs WHERE status IN (<active>)")
              .defineList("active", activeRunStatuses)
              .map(
                  (rs, ctx) -> {
                    runUsers.put(rs.getString("id"), rs.getString("user_id"));
                    return runProjects.put(rs.getString("id"), rs.getString("project_id"));
                  })
              .list();
          java.util.Map<String, SchedulingState.ProjectWeight> projects = new java.util.HashMap<>();
          h.createQuery("SELECT id, name, weight FROM projects")
              .map(
                  (rs, ctx) ->
                      java.util.Map.entry(
                          rs.getString("id"),
                          new SchedulingState.ProjectWeight(
                              rs.getString("name"), rs.getDouble("weight"))))
              .forEach(e -> projects.put(e.getKey(), e.getValue()));
          java.util.Map<String, java.util.Set<String>> shares = new java.util.HashMap<>();
          h.createQuery("SELECT fleet_id, project_id FROM fleet_shares")
              .map((rs, ctx) -> java.util.Map.entry(rs.getString(1), rs.getString(2)))
              .forEach(
                  e ->
                      shares
                          .computeIfAbsent(e.getKey(), k -> new java.util.HashSet<>())
                          .add(e.getValue()));
          return new SchedulingState(
              instances, holding, queued, runUsers, runProjects, projects, shares);
        });
  }

  List<SchedulingState.Usage> finishedJobUsage(java.time.Instant since) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT j.id, r.project_id, r.user_id, j.cpus, j.gpus, j.started_at, j.finished_at"
                        + " FROM jobs j JOIN runs r ON r.id = j.run_id"
                        + " WHERE j.finished_at >= ? AND j.started_at IS NOT NULL")
                .bind(0, since.toEpochMilli())
                .map(
                    (rs, ctx) ->
                        new SchedulingState.Usage(
                            rs.getString("id"),
                            rs.getString("project_id"),
                            rs.getString("user_id"),
                            StoreRows.gpuCount(rs.getString("gpus")),
                            rs.getInt("cpus"),
                            StoreRows.instant(rs, "started_at"),
                            StoreRows.instant(rs, "finished_at")))
                .list());
  }
}
