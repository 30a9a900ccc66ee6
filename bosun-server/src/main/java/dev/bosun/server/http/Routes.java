package dev.bosun.server.http;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.bosun.api.ApplyRequest;
import dev.bosun.api.CreateProjectRequest;
import dev.bosun.api.CreateUserRequest;
import dev.bosun.api.CreatedUser;
import dev.bosun.api.FleetApplyRequest;
import dev.bosun.api.FleetInfo;
import dev.bosun.api.FleetPlan;
import dev.bosun.api.Json;
import dev.bosun.api.RunInfo;
import dev.bosun.api.RunLogs;
import dev.bosun.api.RunPlan;
import dev.bosun.api.ServerHealth;
import dev.bosun.api.ShutdownRequest;
import dev.bosun.api.StopRunRequest;
import dev.bosun.api.UserInfo;
import dev.bosun.server.fleet.FleetViews;
import dev.bosun.server.fleet.hosts.SshFleets;
import dev.bosun.server.runs.LogService;
import dev.bosun.server.runs.RunService;
import dev.bosun.server.users.UserService;
import io.javalin.http.Context;
import java.io.IOException;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The route table of the REST API; each route is also an entry of the OpenAPI document. */
public final class Routes {
  private final Caller caller;
  private final List<ApiRoute> routes = new ArrayList<>();

  public Routes(
      dev.bosun.store.Store store,
      RunService runs,
      LogService logs,
      FleetViews fleets,
      SshFleets sshFleets,
      UserService users,
      dev.bosun.server.ssh.SshKeys sshKeys,
      dev.bosun.server.ssh.SshTunnels tunnels,
      ServerHealth health,
      Consumer<ShutdownRequest> shutdown) {
    this.caller = new Caller(store);
    route(
        "GET",
        "/healthz",
        "Liveness of the server",
        null,
        ServerHealth.class,
        false,
        ctx -> ctx.json(health));
    route(
        "GET",
        "/api/users/me",
        "The caller and its projects",
        null,
        UserInfo.class,
        true,
        ctx -> ctx.json(users.me(Caller.user(ctx))));
    route(
        "GET",
        "/api/users/me/ssh-keys",
        "The caller's SSH public keys (they open SSH sessions into their projects' running jobs)",
        null,
        new TypeReference<List<dev.bosun.api.SshKeyInfo>>() {}.getType(),
        true,
        ctx -> ctx.json(sshKeys.list(Caller.user(ctx))));
    route(
        "POST",
        "/api/users/me/ssh-keys",
        "Add an SSH public key to the caller (replaces the caller's key of that name)",
        dev.bosun.api.AddSshKeyRequest.class,
        dev.bosun.api.SshKeyInfo.class,
        true,
        ctx ->
            ctx.json(
                sshKeys.add(Caller.user(ctx), body(ctx, dev.bosun.api.AddSshKeyRequest.class))));
    route(
        "DELETE",
        "/api/users/me/ssh-keys/{name}",
        "Remove one of the caller's SSH keys: sessions with it are refused and closed at once",
        null,
        Void.class,
        true,
        ctx -> {
          sshKeys.delete(Caller.user(ctx), ctx.pathParam("name"));
          ctx.status(204);
        });
    route(
        "POST",
        "/api/users",
        "Create a user (admin); the answer holds its token",
        CreateUserRequest.class,
        CreatedUser.class,
        true,
        ctx -> {
          Caller.requireAdmin(ctx);
          ctx.json(users.createUser(body(ctx, CreateUserRequest.class)));
        });
    route(
        "POST",
        "/api/projects",
        "Create a project (admin)",
        CreateProjectRequest.class,
        Void.class,
        true,
        ctx -> {
          Caller.requireAdmin(ctx);
          users.createProject(Caller.user(ctx), body(ctx, CreateProjectRequest.class));
          ctx.status(204);
        });
    route(
        "GET",
        "/api/projects",
        "The projects of the caller (every project for an admin) with weights and members",
        null,
        new TypeReference<List<dev.bosun.api.ProjectInfo>>() {}.getType(),
        true,
        ctx -> ctx.json(users.projects(Caller.user(ctx))));
    route(
        "PATCH",
        "/api/projects/{project}",
        "Change a project's fair-share weight (admin)",
        dev.bosun.api.UpdateProjectRequest.class,
        dev.bosun.api.ProjectInfo.class,
        true,
        ctx -> {
          Caller.requireAdmin(ctx);
          ctx.json(
              users.updateProject(
                  caller.project(ctx), body(ctx, dev.bosun.api.UpdateProjectRequest.class)));
        });
    route(
        "POST",
        "/api/projects/{project}/runs/plan",
        "Preview what applying a configuration would do",
        ApplyRequest.class,
        RunPlan.class,
        true,
        ctx ->
            ctx.json(
                runs.plan(caller.project(ctx), Caller.user(ctx), body(ctx, ApplyRequest.class))));
    route(
        "POST",
        "/api/projects/{project}/runs",
        "Submit a run",
        ApplyRequest.class,
        RunInfo.class,
        true,
        ctx ->
            ctx.json(
                runs.apply(caller.project(ctx), Caller.user(ctx), body(ctx, ApplyRequest.class))));
    route(
        "GET",
        "/api/projects/{project}/runs",
        "List runs (active only unless all=true)",
        null,
        new TypeReference<List<RunInfo>>() {}.getType(),
        true,
        ctx -> ctx.json(runs.list(caller.project(ctx), "true".equals(ctx.queryParam("all")))));
    route(
        "GET",
        "/api/projects/{project}/runs/{run}",
        "A run; wait_finished_ms waits for it to finish",
        null,
        RunInfo.class,
        true,
        ctx -> {
          long wait = longParam(ctx, "wait_finished_ms", 0);
          ctx.json(
              wait > 0
                  ? runs.awaitFinished(
                      caller.project(ctx), ctx.pathParam("run"), Duration.ofMillis(wait))
                  : runs.get(caller.project(ctx), ctx.pathParam("run")));
        });
    route(
        "POST",
        "/api/projects/{project}/runs/{run}/stop",
        "Stop (or abort) a run",
        StopRunRequest.class,
        RunInfo.class,
        true,
        ctx ->
            ctx.json(
                runs.stop(
                    caller.project(ctx),
                    ctx.pathParam("run"),
                    body(ctx, StopRunRequest.class).abort())));
    route(
        "DELETE",
        "/api/projects/{project}/runs/{run}",
        "Delete a finished run and its logs",
        null,
        Void.class,
        true,
        ctx -> {
          runs.delete(caller.project(ctx), ctx.pathParam("run"));
          ctx.status(204);
        });
    route(
        "GET",
        "/api/projects/{project}/runs/{run}/logs",
        "Read a run's log from offset, waiting up to wait_ms for new lines",
        null,
        RunLogs.class,
        true,
        ctx ->
            ctx.json(
                logs.read(
                    caller.project(ctx),
                    ctx.pathParam("run"),
                    ctx.queryParam("job_id"),
                    longParam(ctx, "offset", 0),
                    Duration.ofMillis(longParam(ctx, "wait_ms", 0)))));
    route(
        "GET",
        "/api/projects/{project}/runs/{run}/ssh-target",
        "How to SSH into a running job (job: its node rank, 0 by default): the user and host key;"
            + " the connection itself goes through the WebSocket at .../runs/{run}/ssh",
        null,
        dev.bosun.api.SshTarget.class,
        true,
        ctx ->
            ctx.json(
                tunnels.target(
                    caller.project(ctx), ctx.pathParam("run"), (int) longParam(ctx, "job", 0))));
    route(
        "GET",
        "/api/projects/{project}/fleets",
        "Fleets and their instances",
        null,
        new TypeReference<List<FleetInfo>>() {}.getType(),
        true,
        ctx -> ctx.json(fleets.list(caller.project(ctx))));
    route(
        "POST",
        "/api/projects/{project}/fleets/plan",
        "Preview applying a fleet file: hosts to add, keep, update or remove",
        FleetApplyRequest.class,
        FleetPlan.class,
        true,
        ctx -> ctx.json(sshFleets.plan(caller.project(ctx), body(ctx, FleetApplyRequest.class))));
    route(
        "POST",
        "/api/projects/{project}/fleets",
        "Apply a fleet file: provision new and changed hosts in parallel, remove dropped ones",
        FleetApplyRequest.class,
        FleetInfo.class,
        true,
        ctx -> {
          var project = caller.project(ctx);
          FleetApplyRequest request = body(ctx, FleetApplyRequest.class);
          String name = sshFleets.apply(project, request);
          ctx.json(
              fleets.list(project).stream()
                  .filter(f -> f.name().equals(name))
                  .findFirst()
                  .orElseThrow());
        });
    route(
        "DELETE",
        "/api/projects/{project}/fleets/{fleet}",
        "Delete a fleet: it drains (no new jobs; force: its runs are stopped), then its agents"
            + " are stopped and what Bosun installed is removed",
        null,
        dev.bosun.api.FleetDeletion.class,
        true,
        ctx ->
            ctx.json(
                sshFleets.delete(
                    caller.project(ctx),
                    ctx.pathParam("fleet"),
                    "true".equals(ctx.queryParam("force")))));
    route(
        "PUT",
        "/api/projects/{project}/fleets/{fleet}/shares/{with}",
        "Share a fleet with another project: its runs may then use the fleet's hosts",
        null,
        FleetInfo.class,
        true,
        ctx ->
            ctx.json(
                fleets.share(caller.project(ctx), ctx.pathParam("fleet"), ctx.pathParam("with"))));
    route(
        "DELETE",
        "/api/projects/{project}/fleets/{fleet}/shares/{with}",
        "Stop sharing a fleet with a project: its running jobs go on, no new ones start there",
        null,
        FleetInfo.class,
        true,
        ctx ->
            ctx.json(
                fleets.unshare(
                    caller.project(ctx), ctx.pathParam("fleet"), ctx.pathParam("with"))));
    route(
        "POST",
        "/api/server/shutdown",
        "Stop the server (admin); stop_jobs also stops every job and local agent",
        ShutdownRequest.class,
        Void.class,
        true,
        ctx -> {
          Caller.requireAdmin(ctx);
          ShutdownRequest request = body(ctx, ShutdownRequest.class);
          ctx.status(204);
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      Thread.sleep(200); // let the answer reach the caller first
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                    shutdown.accept(request);
                  });
        });
  }

  public List<ApiRoute> routes() {
    return List.copyOf(routes);
  }

  public Caller caller() {
    return caller;
  }

  private void route(
      String method,
      String path,
      String summary,
      Type request,
      Type response,
      boolean authenticated,
      io.javalin.http.Handler handler) {
    routes.add(new ApiRoute(method, path, summary, request, response, authenticated, handler));
  }

  private static <T> T body(Context ctx, Class<T> type) throws IOException {
    byte[] bytes = ctx.bodyAsBytes();
    if (bytes.length == 0) {
      throw new io.javalin.http.BadRequestResponse("this call needs a JSON body");
    }
    return Json.mapper().readValue(bytes, type);
  }

  private static long longParam(Context ctx, String name, long fallback) {
    String value = ctx.queryParam(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new io.javalin.http.BadRequestResponse(
          "query parameter " + name + " must be a whole number, not '" + value + "'");
    }
  }
}
