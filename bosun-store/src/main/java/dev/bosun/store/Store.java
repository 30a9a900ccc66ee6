package dev.bosun.store;

import dev.bosun.model.host.HostResources;
import dev.bosun.model.state.FleetStatus;
import dev.bosun.model.state.InstanceStatus;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The server's state. Every method is one transaction; callers never see SQL, so another database
 * can follow without touching them.
 */
public interface Store extends AutoCloseable {
  // users, tokens and projects

  boolean hasUsers();

  UserRecord createUser(String name, boolean admin, String tokenHash);

  Optional<UserRecord> userByTokenHash(String tokenHash);

  Optional<UserRecord> userByName(String name);

  ProjectRecord createProject(String name, List<String> memberUserIds);

  Optional<ProjectRecord> project(String name);

  boolean isMember(String projectId, String userId);

  List<String> projectNamesOf(String userId);

  /** Sets the project's fair-share weight (positive; 1 by default). */
  void setProjectWeight(String projectId, double weight);

  /** Every project with its weight and members, by name. */
  List<ProjectSummary> projects();

  /** Adds the user's SSH public key, or replaces the one of that name. */
  void saveSshKey(String userId, String name, String publicKey);

  /** The user's SSH public keys, by name. */
  List<SshKeyRecord> sshKeys(String userId);

  /** Removes the user's key of that name; false when there was none. */
  boolean deleteSshKey(String userId, String name);

  /** The SSH public keys of every member of the project: who may enter its running jobs. */
  List<String> projectSshKeys(String projectId);

  // fleets and instances

  FleetRecord ensureFleet(String projectId, String name, String kind);

  InstanceRecord ensureInstance(String fleetId, String name);

  /** The fleet of that name in the project, if any. */
  Optional<FleetRecord> fleet(String projectId, String name);

  /**
   * Creates the fleet or replaces its configuration (the YAML of its file) and whether it has
   * {@code placement: cluster}; the fleet is active afterwards.
   */
  FleetRecord saveFleet(
      String projectId, String name, String kind, String configuration, boolean cluster);

  /** {@link #saveFleet(String, String, String, String, boolean)} of a fleet without cluster. */
  default FleetRecord saveFleet(String projectId, String name, String kind, String configuration) {
    return saveFleet(projectId, name, kind, configuration, false);
  }

  Optional<String> fleetConfiguration(String fleetId);

  /** Moves a fleet to {@code draining} (no new jobs), {@code deleted} (hidden) or back. */
  void updateFleetStatus(String fleetId, FleetStatus status);

  /** Creates or updates an SSH host of a fleet, with how to reach it (JSON). */
  InstanceRecord saveHost(String fleetId, String name, String hostSpec);

  /** Sets an instance's status with a message: the provisioning step, or why it failed. */
  void updateInstanceStatus(String instanceId, InstanceStatus status, String message);

  /** The public key recorded for a host of a fleet on first use, if any. */
  Optional<String> hostKey(String fleetId, String host, int port);

  void rememberHostKey(String fleetId, String host, int port, String publicKey);

  void updateInstance(
      String instanceId, InstanceStatus status, HostResources resources, String agentVersion);

  void updateAgentCursor(String instanceId, String bootId, long cursor);

  /** The project's fleets that are not deleted. */
  List<FleetRecord> fleets(String projectId);

  /** Lets another project's runs use the fleet's hosts; false when it already could. */
  boolean shareFleet(String fleetId, String projectId);

  /** Ends {@link #shareFleet}; false when the fleet was not shared with that project. */
  boolean unshareFleet(String fleetId, String projectId);

  /** The names of the projects the fleet is shared with. */
  List<String> fleetSharedWith(String fleetId);

  /** Other projects' fleets shared with this project, not deleted. */
  List<FleetShare> sharedWith(String projectId);

  List<InstanceRecord> instances();

  Optional<InstanceRecord> instance(String instanceId);

  // runs and jobs

  /**
   * Inserts a run and its first jobs; throws {@link DuplicateActiveRunException} if the name is
   * active.
   */
  void insertRun(RunRecord run, List<JobRecord> jobs);

  /** The newest run of that name in the project, unless deleted. */
  Optional<RunRecord> run(String projectId, String name);

  Optional<RunRecord> runById(String runId);

  List<RunRecord> runs(String projectId, boolean includeFinished);

  /** Runs that are not finished, in every project. */
  List<RunRecord> activeRuns();

  List<JobRecord> jobs(String runId);

  Optional<JobRecord> job(String jobId);

  /** Every job ever placed on the instance, finished ones included. */
  List<JobRecord> jobsOnInstance(String instanceId);

  /** Jobs that are not finished, in every project. */
  List<JobRecord> activeJobs();

  /** Hides a finished run from listings; its rows stay for accounting. */
  void deleteRun(String runId);

  /** The inputs of a scheduling pass, read in one transaction through the status indexes. */
  SchedulingState schedulingState();

  /** What every job that finished at or after {@code since} used, for fair share. */
  List<SchedulingState.Usage> finishedJobUsage(java.time.Instant since);

  /** Moves runs that are still {@code submitted} to {@code pending} (waiting in the queue). */
  void markPending(java.util.Collection<String> runIds);

  /** Applies changes computed elsewhere in one transaction. */
  void write(Consumer<StoreWriter> changes);

  /**
   * Verifies each placement against the newest state and commits those still valid, in one
   * transaction.
   */
  CommitResult commitPlacements(List<JobPlacement> placements);

  @Override
  void close();
}
