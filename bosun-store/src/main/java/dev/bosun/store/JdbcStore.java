package dev.bosun.store;

import static dev.bosun.store.StoreRows.millis;
import static dev.bosun.store.StoreRows.name;
import static dev.bosun.store.StoreRows.toJson;

import dev.bosun.model.host.HostResources;
import dev.bosun.model.state.InstanceStatus;
import dev.bosun.model.state.RunStatus;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** The state store over JDBC: SQLite by default, PostgreSQL with the same SQL. */
public final class JdbcStore implements Store {
  private static final String RUN_COLUMNS = "r.*, p.name AS project_name, u.name AS user_name";
  private static final String RUN_FROM =
      " FROM runs r JOIN projects p ON p.id = r.project_id JOIN users u ON u.id = r.user_id";
  private static final String INSTANCE_SELECT =
      "SELECT i.*, f.name AS fleet_name, f.project_id AS project_id, f.status AS fleet_status,"
          + " f.cluster AS fleet_cluster"
          + " FROM instances i"
          + " JOIN fleets f ON f.id = i.fleet_id";
  // Listed as IN (active statuses) rather than NOT IN (finished ones) so SQLite uses the index.
  private static final List<String> ACTIVE =
      java.util.Arrays.stream(RunStatus.values())
          .filter(s -> !s.isFinished())
          .map(Enum::name)
          .toList();

  private final Jdbi jdbi;
  private final InstantSource clock;
  private final AutoCloseable dataSource;
  private final PlacementVerifier verifier = new PlacementVerifier();
  private final JdbcAccounts accounts;
  private final JdbcFleets fleetQueries;
  private final JdbcScheduling scheduling;

  JdbcStore(DataSource dataSource, InstantSource clock) {
    this.jdbi = Jdbi.create(dataSource);
    this.clock = clock;
    this.accounts = new JdbcAccounts(jdbi, clock);
    this.fleetQueries = new JdbcFleets(jdbi, clock, INSTANCE_SELECT);
    this.scheduling = new JdbcScheduling(jdbi, INSTANCE_SELECT, quoted(ACTIVE));
    this.dataSource = dataSource instanceof AutoCloseable closeable ? closeable : () -> {};
  }

  private static String newId() {
    return UUID.randomUUID().toString();
  }

  @Override
  public boolean hasUsers() {
    return accounts.hasUsers();
  }

  @Override
  public UserRecord createUser(String name, boolean admin, String tokenHash) {
    return accounts.createUser(name, admin, tokenHash);
  }

  @Override
  public Optional<UserRecord> userByTokenHash(String tokenHash) {
    return accounts.userByTokenHash(tokenHash);
  }

  @Override
  public Optional<UserRecord> userByName(String name) {
    return accounts.userByName(name);
  }

  @Override
  public ProjectRecord createProject(String name, List<String> memberUserIds) {
    return accounts.createProject(name, memberUserIds);
  }

  @Override
  public Optional<ProjectRecord> project(String name) {
    return accounts.project(name);
  }

  @Override
  public boolean isMember(String projectId, String userId) {
    return accounts.isMember(projectId, userId);
  }

  @Override
  public List<String> projectNamesOf(String userId) {
    return accounts.projectNamesOf(userId);
  }

  @Override
  public void setProjectWeight(String projectId, double weight) {
    accounts.setProjectWeight(projectId, weight);
  }

  @Override
  public List<ProjectSummary> projects() {
    return accounts.projects();
  }

  @Override
  public void saveSshKey(String userId, String name, String publicKey) {
    accounts.saveSshKey(userId, name, publicKey);
  }

  @Override
  public List<SshKeyRecord> sshKeys(String userId) {
    return accounts.sshKeys(userId);
  }

  @Override
  public boolean deleteSshKey(String userId, String name) {
    return accounts.deleteSshKey(userId, name);
  }

  @Override
  public List<String> projectSshKeys(String projectId) {
    return accounts.projectSshKeys(projectId);
  }

  @Override
  public FleetRecord ensureFleet(String projectId, String name, String kind) {
    return fleetQueries.ensureFleet(projectId, name, kind);
  }

  @Override
  public InstanceRecord ensureInstance(String fleetId, String name) {
    return fleetQueries.ensureInstance(fleetId, name);
  }

  @Override
  public Optional<FleetRecord> fleet(String projectId, String name) {
    return fleetQueries.fleet(projectId, name);
  }

  @Override
  public FleetRecord saveFleet(
      String projectId, String name, String kind, String configuration, boolean cluster) {
    return fleetQueries.saveFleet(projectId, name, kind, configuration, cluster);
  }

  @Override
  public Optional<String> fleetConfiguration(String fleetId) {
    return fleetQueries.fleetConfiguration(fleetId);
  }

  @Override
  public InstanceRecord saveHost(String fleetId, String name, String hostSpec) {
    return fleetQueries.saveHost(fleetId, name, hostSpec);
  }

  @Override
  public List<JobRecord> jobsOnInstance(String instanceId) {
    return jdbi.withHandle(h -> JobRows.onInstance(h, instanceId));
  }

  @Override
  public void updateFleetStatus(String fleetId, dev.bosun.model.state.FleetStatus status) {
    fleetQueries.updateFleetStatus(fleetId, status);
  }

  @Override
  public void updateInstanceStatus(String instanceId, InstanceStatus status, String message) {
    fleetQueries.updateInstanceStatus(instanceId, status, message);
  }

  @Override
  public Optional<String> hostKey(String fleetId, String host, int port) {
    return fleetQueries.hostKey(fleetId, host, port);
  }

  @Override
  public void rememberHostKey(String fleetId, String host, int port, String publicKey) {
    fleetQueries.rememberHostKey(fleetId, host, port, publicKey);
  }

  @Override
  public void updateInstance(
      String instanceId, InstanceStatus status, HostResources resources, String agentVersion) {
    fleetQueries.updateInstance(instanceId, status, resources, agentVersion);
  }

  @Override
  public void updateAgentCursor(String instanceId, String bootId, long cursor) {
    fleetQueries.updateAgentCursor(instanceId, bootId, cursor);
  }

  @Override
  public List<FleetRecord> fleets(String projectId) {
    return fleetQueries.fleets(projectId);
  }

  @Override
  public boolean shareFleet(String fleetId, String projectId) {
    return fleetQueries.shareFleet(fleetId, projectId);
  }

  @Override
  public boolean unshareFleet(String fleetId, String projectId) {
    return fleetQueries.unshareFleet(fleetId, projectId);
  }

  @Override
  public List<String> fleetSharedWith(String fleetId) {
    return fleetQueries.fleetSharedWith(fleetId);
  }

  @Override
  public List<FleetShare> sharedWith(String projectId) {
    return fleetQueries.sharedWith(projectId);
  }

  @Override
  public List<InstanceRecord> instances() {
    return fleetQueries.instances();
  }

  @Override
  public Optional<InstanceRecord> instance(String instanceId) {
    return fleetQueries.instance(instanceId);
  }

  @Override
  public void insertRun(RunRecord run, List<JobRecord> jobs) {
    try {
      jdbi.useTransaction(
          h -> {
            h.createUpdate(
                    "INSERT INTO runs (id, project_id, user_id, name, type, status, configuration, file_name, "
                        + "client_env, priority, submitted_at, active_name, deleted, version) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)")
                .bind(0, run.id())
                .bind(1, run.projectId())
                .bind(2, run.userId())
                .bind(3, run.name())
                .bind(4, run.type())
                .bind(5, run.status().name())
                .bind(6, run.configuration())
                .bind(7, run.fileName())
                .bind(8, toJson(run.clientEnv()))
                .bind(9, run.priority())
                .bind(10, millis(run.submittedAt()))
                .bind(11, run.projectId() + "/" + run.name())
                .bind(12, false)
                .execute();
            for (JobRecord job : jobs) {
              JobRows.save(h, job);
            }
          });
    } catch (UnableToExecuteStatementException e) {
      if (isUniqueViolation(e)) {
        throw new DuplicateActiveRunException(run.name());
      }
      throw e;
    }
  }

  private static boolean isUniqueViolation(Exception e) {
    String message =
        String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
    return message.contains("UNIQUE") || message.contains("unique") || message.contains("23505");
  }

  @Override
  public Optional<RunRecord> run(String projectId, String name) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + RUN_COLUMNS
                        + RUN_FROM
                        + " WHERE r.project_id = ? AND r.name = ? AND r.deleted = ? ORDER BY r.submitted_at DESC, r.id LIMIT 1")
                .bind(0, projectId)
                .bind(1, name)
                .bind(2, false)
                .map((rs, ctx) -> StoreRows.run(rs))
                .findOne());
  }

  @Override
  public Optional<RunRecord> runById(String runId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT " + RUN_COLUMNS + RUN_FROM + " WHERE r.id = ?")
                .bind(0, runId)
                .map((rs, ctx) -> StoreRows.run(rs))
                .findOne());
  }

  @Override
  public List<RunRecord> runs(String projectId, boolean includeFinished) {
    String filter = includeFinished ? "" : " AND r.status IN (<active>)";
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + RUN_COLUMNS
                        + RUN_FROM
                        + " WHERE r.project_id = :project AND r.deleted = :deleted"
                        + filter
                        + " ORDER BY r.submitted_at DESC")
                .bind("project", projectId)
                .bind("deleted", false)
                .defineList("active", quoted(ACTIVE))
                .map((rs, ctx) -> StoreRows.run(rs))
                .list());
  }

  @Override
  public List<RunRecord> activeRuns() {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + RUN_COLUMNS
                        + RUN_FROM
                        + " WHERE r.status IN (<active>) ORDER BY r.submitted_at")
                .defineList("active", quoted(ACTIVE))
                .map((rs, ctx) -> StoreRows.run(rs))
                .list());
  }

  private static List<String> quoted(List<String> values) {
    return values.stream().map(v -> "'" + v + "'").toList();
  }

  @Override
  public List<JobRecord> jobs(String runId) {
    return jdbi.withHandle(h -> JobRows.ofRun(h, runId));
  }

  @Override
  public Optional<JobRecord> job(String jobId) {
    return jdbi.withHandle(h -> JobRows.byId(h, jobId));
  }

  @Override
  public List<JobRecord> activeJobs() {
    return jdbi.withHandle(JobRows::active);
  }

  @Override
  public void deleteRun(String runId) {
    jdbi.useHandle(
        h ->
            h.createUpdate("UPDATE runs SET deleted = ?, active_name = NULL WHERE id = ?")
                .bind(0, true)
                .bind(1, runId)
                .execute());
  }

  @Override
  public SchedulingState schedulingState() {
    return scheduling.state();
  }

  @Override
  public List<SchedulingState.Usage> finishedJobUsage(java.time.Instant since) {
    return scheduling.finishedJobUsage(since);
  }

  @Override
  public void markPending(java.util.Collection<String> runIds) {
    if (runIds.isEmpty()) {
      return;
    }
    jdbi.useTransaction(
        h -> {
          var batch =
              h.prepareBatch(
                  "UPDATE runs SET status = ?, version = version + 1 WHERE id = ? AND status = ?");
          for (String runId : runIds) {
            batch
                .bind(0, RunStatus.PENDING.name())
                .bind(1, runId)
                .bind(2, RunStatus.SUBMITTED.name())
                .add();
          }
          batch.execute();
        });
  }

  @Override
  public void write(Consumer<StoreWriter> changes) {
    jdbi.useTransaction(h -> changes.accept(new HandleWriter(h)));
  }

  @Override
  public CommitResult commitPlacements(List<JobPlacement> placements) {
    return jdbi.inTransaction(h -> verifier.commit(h, placements, INSTANCE_SELECT));
  }

  @Override
  public void close() {
    try {
      dataSource.close();
    } catch (Exception e) {
      throw new IllegalStateException("cannot close the database", e);
    }
  }

  /** Writes of one transaction. */
  private record HandleWriter(Handle handle) implements StoreWriter {
    @Override
    public void saveRun(RunRecord run) {
      handle
          .createUpdate(
              "UPDATE runs SET status = ?, started_at = ?, finished_at = ?, termination_reason = ?, "
                  + "termination_message = ?, exit_status = ?, wait_reason = ?, estimated_start = ?, stop_request = ?, "
                  + "active_name = ?, version = version + 1 WHERE id = ?")
          .bind(0, run.status().name())
          .bind(1, millis(run.startedAt()))
          .bind(2, millis(run.finishedAt()))
          .bind(3, name(run.terminationReason()))
          .bind(4, run.terminationMessage())
          .bind(5, run.exitStatus())
          .bind(6, run.waitReason())
          .bind(7, millis(run.estimatedStart()))
          .bind(8, name(run.stopRequest()))
          .bind(9, run.status().isFinished() ? null : run.projectId() + "/" + run.name())
          .bind(10, run.id())
          .execute();
    }

    @Override
    public void saveConfiguration(RunRecord run) {
      handle
          .createUpdate(
              "UPDATE runs SET configuration = ?, file_name = ?, client_env = ?, deployment_num = ?,"
                  + " version = version + 1 WHERE id = ?")
          .bind(0, run.configuration())
          .bind(1, run.fileName())
          .bind(2, toJson(run.clientEnv()))
          .bind(3, run.deploymentNum())
          .bind(4, run.id())
          .execute();
    }

    @Override
    public void saveJob(JobRecord job) {
      JobRows.save(handle, job);
    }
  }
}
