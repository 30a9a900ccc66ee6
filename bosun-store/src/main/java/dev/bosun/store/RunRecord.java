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
    long version) {

  public RunRecord withStatus(RunStatus newStatus) {
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
        startedAt,
        finishedAt,
        terminationReason,
        terminationMessage,
        exitStatus,
        waitReason,
        estimatedStart,
        stopRequest,
        version);
  }

  public RunRecord withStarted(Instant at) {
    return new RunRecord(
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
        startedAt == null ? at : startedAt,
        finishedAt,
        terminationReason,
        terminationMessage,
        exitStatus,
        null,
        null,
        stopRequest,
        version);
  }

  public RunRecord withWait(String reason, Instant estimate) {
    return new RunRecord(
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
        reason,
        estimate,
        stopRequest,
        version);
  }

  public RunRecord withStopRequest(StopRequestKind kind) {
    return new RunRecord(
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
        kind,
        version);
  }

  public RunRecord finished(
      RunStatus finalStatus, TerminationReason reason, String message, Integer exit, Instant at) {
    return new RunRecord(
        id,
        projectId,
        projectName,
        userId,
        userName,
        name,
        type,
        finalStatus,
        configuration,
        fileName,
        clientEnv,
        priority,
        submittedAt,
        startedAt,
        at,
        reason,
        message,
        exit,
        null,
        null,
        stopRequest,
        version);
  }
}
