package dev.bosun.store;

import dev.bosun.model.state.RunStatus;
import dev.bosun.model.state.TerminationReason;
import java.time.Instant;
import java.util.Map;

/**
 * A run as stored. The configuration is kept as the YAML the user submitted (with {@code clientEnv}
 * for env entries given without a value), so it can be re-read by any later version.
 */
public record RunRecord(
    String id,
    String projectId,
    String projectName,
    String userId,
    String userName,
    String name,
    String type,
    RunStatus status,
    String configuration,
    String fileName,
    Map<String, String> clientEnv,
    int priority,
    Instant submittedAt,
    Instant startedAt,
    Instant finishedAt,
    TerminationReason terminationReason,
    String terminationMessage,
    Integer exitStatus,
    String waitReason,
    Instant estimatedStart,
    StopRequestKind stopRequest,
    long version,
    int deploymentNum) {

  /** A run of its first configuration. */
  public RunRecord(
      String id,
      String projectId,
      String projectName,
      String userId,
      String userName,
      String name,
      String type,
      RunStatus status,
      String configuration,
      String fileName,
      Map<String, String> clientEnv,
      int priority,
      Instant submittedAt,
      Instant startedAt,
      Instant finishedAt,
      TerminationReason terminationReason,
      String terminationMessage,
      Integer exitStatus,
      String waitReason,
      Instant estimatedStart,
      StopRequestKind stopRequest,
      long version) {
    this(
        id,
        projectId,
        projectName,
        userId,
        userName,
        name,
        type,
        status,
        configuration,
        fileName,
        clientEnv,
        priority,
        submittedAt,
        startedAt,
        finishedAt,
        terminationReason,
        terminationMessage,
        exitStatus,
        waitReason,
        estimatedStart,
        stopRequest,
        version,
        0);
  }

  /**
   * The run with a service's new configuration (a re-apply that changed it): its deployment number
   * goes up by one.
   */
  public RunRecord redeployed(
      String newConfiguration, String newFileName, Map<String, String> env) {
    return new RunRecord(
        id,
        projectId,
        projectName,
        userId,
        userName,
        name,
        type,
        status,
        newConfiguration,
        newFileName,
        env,
        priority,
        submittedAt,
        startedAt,
        finishedAt,
        terminationReason,
        terminationMessage,
        exitStatus,
        waitReason,
        estimatedStart,
        stopRequest,
        version,
        deploymentNum + 1);
  }

  public RunRecord withStatus(RunStatus newStatus) {
    return copy(
        newStatus,
        startedAt,
        finishedAt,
        terminationReason,
        terminationMessage,
        exitStatus,
        waitReason,
        estimatedStart,
        stopRequest);
  }

  /** Started at {@code at} (the first start is kept across retries); no longer waiting. */
  public RunRecord withStarted(Instant at) {
    return copy(
        status,
        startedAt == null ? at : startedAt,
        finishedAt,
        terminationReason,
        terminationMessage,
        exitStatus,
        null,
        null,
        stopRequest);
  }

  public RunRecord withWait(String reason, Instant estimate) {
    return copy(
        status,
        startedAt,
        finishedAt,
        terminationReason,
        terminationMessage,
        exitStatus,
        reason,
        estimate,
        stopRequest);
  }

  public RunRecord withStopRequest(StopRequestKind kind) {
    return copy(
        status,
        startedAt,
        finishedAt,
        terminationReason,
        terminationMessage,
        exitStatus,
        waitReason,
        estimatedStart,
        kind);
  }

  public RunRecord finished(
      RunStatus finalStatus, TerminationReason reason, String message, Integer exit, Instant at) {
    return copy(finalStatus, startedAt, at, reason, message, exit, null, null, stopRequest);
  }

  /** This run with its changing fields replaced; what was submitted stays as it is. */
  private RunRecord copy(
      RunStatus newStatus,
      Instant newStartedAt,
      Instant newFinishedAt,
      TerminationReason newReason,
      String newMessage,
      Integer newExit,
      String newWaitReason,
      Instant newEstimate,
      StopRequestKind newStop) {
    return new RunRecord(
        id,
        projectId,
        projectName,
        userId,
        userName,
        name,
        type,
        newStatus,
        configuration,
        fileName,
        clientEnv,
        priority,
        submittedAt,
        newStartedAt,
        newFinishedAt,
        newReason,
        newMessage,
        newExit,
        newWaitReason,
        newEstimate,
        newStop,
        version,
        deploymentNum);
  }
}
