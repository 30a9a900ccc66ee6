package dev.bosun.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** The Java client of the Bosun REST API, used by the CLI, the benchmarks and the tests. */
public final class BosunClient {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final URI server;
  private final String token;
  private final HttpClient http;

  public BosunClient(URI server, String token) {
    this(server, token, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
  }

  public BosunClient(URI server, String token, HttpClient http) {
    this.server = Objects.requireNonNull(server, "server is null");
    this.token = token;
    this.http = Objects.requireNonNull(http, "http is null");
  }

  public URI server() {
    return server;
  }

  public ServerHealth health() {
    return send("GET", "/healthz", null, ServerHealth.class, REQUEST_TIMEOUT);
  }

  public UserInfo me() {
    return send("GET", "/api/users/me", null, UserInfo.class, REQUEST_TIMEOUT);
  }

  public RunPlan plan(String project, ApplyRequest request) {
    return send(
        "POST", projectPath(project) + "/runs/plan", request, RunPlan.class, REQUEST_TIMEOUT);
  }

  public RunInfo apply(String project, ApplyRequest request) {
    return send("POST", projectPath(project) + "/runs", request, RunInfo.class, REQUEST_TIMEOUT);
  }

  public List<RunInfo> runs(String project, boolean all) {
    return send(
        "GET",
        projectPath(project) + "/runs?all=" + all,
        null,
        new TypeReference<List<RunInfo>>() {},
        REQUEST_TIMEOUT);
  }

  public RunInfo run(String project, String name) {
    return send("GET", runPath(project, name), null, RunInfo.class, REQUEST_TIMEOUT);
  }

  /** Waits up to {@code wait} for the run to finish, then returns it as it is. */
  public RunInfo awaitFinished(String project, String name, Duration wait) {
    return send(
        "GET",
        runPath(project, name) + "?wait_finished_ms=" + wait.toMillis(),
        null,
        RunInfo.class,
        wait.plus(REQUEST_TIMEOUT));
  }

  public RunInfo stop(String project, String name, boolean abort) {
    return send(
        "POST",
        runPath(project, name) + "/stop",
        new StopRunRequest(abort),
        RunInfo.class,
        REQUEST_TIMEOUT);
  }

  public void delete(String project, String name) {
    send("DELETE", runPath(project, name), null, Void.class, REQUEST_TIMEOUT);
  }

  /** Reads the run's log from {@code offset}, waiting up to {@code wait} for new lines. */
  public RunLogs logs(String project, String name, String jobId, long offset, Duration wait) {
    String query =
        "?offset="
            + offset
            + "&wait_ms="
            + wait.toMillis()
            + (jobId == null ? "" : "&job_id=" + encode(jobId));
    return send(
        "GET",
        runPath(project, name) + "/logs" + query,
        null,
        RunLogs.class,
        wait.plus(REQUEST_TIMEOUT));
  }

  public List<FleetInfo> fleets(String project) {
    return send(
        "GET",
        projectPath(project) + "/fleets",
        null,
        new TypeReference<List<FleetInfo>>() {},
        REQUEST_TIMEOUT);
  }

  public FleetPlan planFleet(String project, FleetApplyRequest request) {
    return send(
        "POST", projectPath(project) + "/fleets/plan", request, FleetPlan.class, REQUEST_TIMEOUT);
  }

  public FleetInfo applyFleet(String project, FleetApplyRequest request) {
    return send(
        "POST", projectPath(project) + "/fleets", request, FleetInfo.class, REQUEST_TIMEOUT);
  }

  /**
   * Deletes a fleet: it takes no new jobs, and once the jobs on it have ended (with {@code force},
   * they are stopped) its agents are stopped and what Bosun installed is removed.
   */
  public FleetDeletion deleteFleet(String project, String name, boolean force) {
    return send(
        "DELETE",
        projectPath(project) + "/fleets/" + encode(name) + "?force=" + force,
        null,
        FleetDeletion.class,
        REQUEST_TIMEOUT);
  }

  public CreatedUser createUser(CreateUserRequest request) {
    return send("POST", "/api/users", request, CreatedUser.class, REQUEST_TIMEOUT);
  }

  public void createProject(CreateProjectRequest request) {
    send("POST", "/api/projects", request, Void.class, REQUEST_TIMEOUT);
  }

  /** Adds an SSH public key to the caller; it opens sessions into their projects' running jobs. */
  public SshKeyInfo addSshKey(AddSshKeyRequest request) {
    return send("POST", "/api/users/me/ssh-keys", request, SshKeyInfo.class, REQUEST_TIMEOUT);
  }

  /** The caller's SSH public keys. */
  public List<SshKeyInfo> sshKeys() {
    return send(
        "GET",
        "/api/users/me/ssh-keys",
        null,
        new TypeReference<List<SshKeyInfo>>() {},
        REQUEST_TIMEOUT);
  }

  /** Removes one of the caller's SSH keys: sessions with it are refused and closed at once. */
  public void deleteSshKey(String name) {
    send("DELETE", "/api/users/me/ssh-keys/" + encode(name), null, Void.class, REQUEST_TIMEOUT);
  }

  /** How to SSH into the run's job of that rank (it must be running). */
  public SshTarget sshTarget(String project, String run, int jobNum) {
    return send(
        "GET",
        runPath(project, run) + "/ssh-target?job=" + jobNum,
        null,
        SshTarget.class,
        REQUEST_TIMEOUT);
  }

  /** The projects the caller is a member of (every project for an admin). */
  public List<ProjectInfo> projects() {
    return send(
        "GET", "/api/projects", null, new TypeReference<List<ProjectInfo>>() {}, REQUEST_TIMEOUT);
  }

  /** Admin: changes a project's fair-share weight. */
  public ProjectInfo updateProject(String project, UpdateProjectRequest request) {
    return send("PATCH", projectPath(project), request, ProjectInfo.class, REQUEST_TIMEOUT);
  }

  /** Lets another project's runs use the fleet's hosts. */
  public FleetInfo shareFleet(String project, String fleet, String withProject) {
    return send(
        "PUT", sharePath(project, fleet, withProject), null, FleetInfo.class, REQUEST_TIMEOUT);
  }

  /** Stops sharing the fleet; the other project's running jobs go on, no new ones start. */
  public FleetInfo unshareFleet(String project, String fleet, String withProject) {
    return send(
        "DELETE", sharePath(project, fleet, withProject), null, FleetInfo.class, REQUEST_TIMEOUT);
  }

  private static String sharePath(String project, String fleet, String withProject) {
    return projectPath(project) + "/fleets/" + encode(fleet) + "/shares/" + encode(withProject);
  }

  public void shutdown(ShutdownRequest request) {
    send("POST", "/api/server/shutdown", request, Void.class, Duration.ofMinutes(2));
  }

  private static String projectPath(String project) {
    return "/api/projects/" + encode(project);
  }

  private static String runPath(String project, String name) {
    return projectPath(project) + "/runs/" + encode(name);
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private <T> T send(String method, String path, Object body, Class<T> type, Duration timeout) {
    return send(method, path, body, Json.mapper().constructType(type), timeout);
  }

  private <T> T send(
      String method, String path, Object body, TypeReference<T> type, Duration timeout) {
    return send(method, path, body, Json.mapper().constructType(type), timeout);
  }

  private <T> T send(String method, String path, Object body, JavaType type, Duration timeout) {
    HttpResponse<byte[]> response;
    try {
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(server.resolve(path))
              .timeout(timeout)
              .header("Accept", "application/json");
      if (token != null) {
        builder.header("Authorization", "Bearer " + token);
      }
      if (body == null) {
        builder.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        builder
            .header("Content-Type", "application/json")
            .method(
                method,
                HttpRequest.BodyPublishers.ofByteArray(Json.mapper().writeValueAsBytes(body)));
      }
      response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new ServerUnreachableException(server, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServerUnreachableException(server, e);
    }
    try {
      if (response.statusCode() >= 400) {
        ApiError error;
        try {
          error = Json.mapper().readValue(response.body(), ApiError.class);
        } catch (IOException notJson) {
          error =
              new ApiError(
                  "http_" + response.statusCode(),
                  "external",
                  "the server answered HTTP " + response.statusCode());
        }
        throw new ApiException(response.statusCode(), error);
      }
      if (type.getRawClass() == Void.class || response.body().length == 0) {
        return null;
      }
      return Json.mapper().readValue(response.body(), type);
    } catch (IOException e) {
      throw new ServerUnreachableException(server, e);
    }
  }
}
