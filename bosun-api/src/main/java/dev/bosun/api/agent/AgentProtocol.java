package dev.bosun.api.agent;

/**
 * The versioned protocol between the server and a host agent. The agent listens on loopback only;
 * every request carries {@code Authorization: Bearer <agent token>}. Paths are prefixed with {@code
 * /v1}.
 *
 * <ul>
 *   <li>{@code GET /v1/info} → {@link AgentInfo}
 *   <li>{@code POST /v1/jobs} with {@link JobSpec} → {@link JobState}; idempotent by job id
 *   <li>{@code GET /v1/jobs?after=V&wait_ms=N} → {@link JobChanges}: jobs whose version is above V,
 *       waiting up to N ms for one (long poll)
 *   <li>{@code POST /v1/jobs/{id}/stop} with {@link StopRequest} → {@link JobState}
 *   <li>{@code GET /v1/jobs/{id}/logs?offset=B&wait_ms=N&limit=L} → {@link LogChunk}
 *   <li>{@code DELETE /v1/jobs/{id}} → 204; removes a finished job's record and log
 * </ul>
 *
 * <p>Errors answer with a status of 400 or above and an {@link AgentError} body: 401 without the
 * right token, 400 for a malformed request, 404 for an unknown job, 409 for a conflict (deleting a
 * running job).
 */
public final class AgentProtocol {
  public static final String VERSION = "1";
  public static final String PREFIX = "/v1";

  private AgentProtocol() {}
}
