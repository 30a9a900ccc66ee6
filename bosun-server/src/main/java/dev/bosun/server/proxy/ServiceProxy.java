package dev.bosun.server.proxy;

import dev.bosun.model.error.BosunException;
import dev.bosun.model.error.ErrorCode;
import dev.bosun.server.http.Caller;
import dev.bosun.server.proxy.ServiceReplicas.Replica;
import dev.bosun.server.runs.RunSpec;
import dev.bosun.server.runs.RunSpecs;
import dev.bosun.store.ProjectRecord;
import dev.bosun.store.RunRecord;
import dev.bosun.store.Store;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's proxy to services: {@code /proxy/services/<project>/<run>/<path>} is passed to a
 * running replica of the service on its {@code port} — on this machine's loopback for the local
 * fleet, through a port forwarded over the server's SSH session for SSH hosts — with the request
 * and response streamed both ways (server-sent events flush as they come). A Bosun token of a
 * member of the project is needed unless the service says {@code auth: false}; the token is never
 * passed on. While no replica runs or accepts connections yet, a request waits for one up to {@link
 * #WAIT_FOR_REPLICA}.
 */
public final class ServiceProxy {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceProxy.class);
  public static final String PREFIX = "/proxy/services/";

  /** How long a request waits for a replica that can take it. */
  static final Duration WAIT_FOR_REPLICA = Duration.ofSeconds(60);

  private static final List<HandlerType> METHODS =
      List.of(
          HandlerType.GET,
          HandlerType.POST,
          HandlerType.PUT,
          HandlerType.PATCH,
          HandlerType.DELETE,
          HandlerType.HEAD,
          HandlerType.OPTIONS);

  private final Store store;
  private final RunSpecs specs;
  private final Caller caller;
  private final ServiceReplicas replicas;
  private final ModelCatalog models;
  private final ReplicaForwarder forwarder = new ReplicaForwarder();
  private final java.util.concurrent.ConcurrentHashMap<String, Route> routes =
      new java.util.concurrent.ConcurrentHashMap<>();
  // "project Authorization-header" -> until when (nanoTime) the caller was found to have access
  private final java.util.concurrent.ConcurrentHashMap<String, Long> allowed =
      new java.util.concurrent.ConcurrentHashMap<>();

  public ServiceProxy(Store store, RunSpecs specs, ServiceReplicas replicas, Caller caller) {
    this.store = store;
    this.specs = specs;
    this.replicas = replicas;
    this.caller = caller;
    this.models = new ModelCatalog(store, specs);
  }

  /** Registers the proxy's paths for every method. */
  public void register(JavalinConfig config) {
    for (HandlerType method : METHODS) {
      config.routes.addHttpHandler(method, PREFIX + "{project}/{run}", this::handle);
      config.routes.addHttpHandler(method, PREFIX + "{project}/{run}/<path>", this::handle);
      config.routes.addHttpHandler(method, MODELS_PREFIX + "{project}/<path>", this::handleModel);
    }
  }

  private void handle(Context ctx) throws IOException, InterruptedException {
    String projectName = ctx.pathParam("project");
    String runName = ctx.pathParam("run");
    String path = "/" + ctx.pathParamMap().getOrDefault("path", "");
    serve(
        ctx,
        projectName,
        runName,
        path,
        PREFIX + projectName + "/" + runName,
        route -> route.spec().service().stripPrefix() ? path : ctx.path());
  }

  /**
   * A request to {@code RUN.PROJECT.DOMAIN} (see {@link ServiceHosts}): the service's at its own
   * path, as if the service were the whole server.
   */
  void handleHost(Context ctx, String projectName, String runName)
      throws IOException, InterruptedException {
    serve(ctx, projectName, runName, ctx.path(), "", route -> ctx.path());
  }

  /**
   * {@code GET /proxy/models/<project>/v1/models} lists the models of the project's running
   * services; any other request under it goes to the service whose {@code model} its body names, at
   * the model's {@code prefix} ({@code /v1/chat/completions} to the service's {@code
   * /v1/chat/completions} by default).
   */
  private void handleModel(Context ctx) throws IOException, InterruptedException {
    String projectName = ctx.pathParam("project");
    String path = "/" + ctx.pathParamMap().getOrDefault("path", "");
    if (path.equals(MODELS_V1 + "/models") && ctx.method() == HandlerType.GET) {
      authorize(ctx, projectName); // a list of what the project serves is for its members
      ProjectRecord project =
          store
              .project(projectName)
              .orElseThrow(
                  () ->
                      new BosunException(
                          ErrorCode.PROJECT_NOT_FOUND, "no project named '" + projectName + "'"));
      ctx.contentType("application/json")
          .result(ModelCatalog.list(projectName, models.models(project.id())));
      return;
    }
    if (!path.startsWith(MODELS_V1 + "/")) {
      throw new BosunException(
          ErrorCode.NOT_FOUND,
          "the model endpoint answers under "
              + MODELS_PREFIX
              + projectName
              + MODELS_V1
              + "/ (models, chat/completions, completions, embeddings)");
    }
    // The model endpoint is for the project's members whatever a service's auth says: the body
    // is read (to find its model) only for them.
    authorize(ctx, projectName);
    ProjectRecord project =
        store
            .project(projectName)
            .orElseThrow(
                () ->
                    new BosunException(
                        ErrorCode.NOT_FOUND, "no project named '" + projectName + "'"));
    String model = ModelCatalog.modelOf(ReplicaForwarder.bufferedBody(ctx, MODEL_BODY));
    ModelCatalog.Served served = models.serving(project.id(), projectName, model);
    String target = served.spec().prefix() + path.substring(MODELS_V1.length());
    serve(ctx, projectName, served.runName(), target, MODELS_PREFIX + projectName, route -> target);
  }

  public static final String MODELS_PREFIX = "/proxy/models/";

  /** The largest body of a request to the model endpoint. */
  static final long MODEL_BODY = ReplicaForwarder.BUFFERED_BODY;

  private static final String MODELS_V1 = "/v1";

  /**
   * The service's route once the request has passed its rate limits and (unless {@code auth:
   * false}) the caller's token has been checked: before any wait for a replica, so a caller without
   * access learns nothing more.
   */
  private Route admit(Context ctx, String projectName, String runName, String path) {
    String key = projectName + "/" + runName;
    Route route = routes.get(key);
    if (route == null || route.isStale()) {
      route = lookUp(projectName, runName);
    }
    RateLimits.Decision limited =
        route.limits().check(path, ctx.req().getRemoteAddr(), ctx::header);
    if (!limited.allowed()) {
      ctx.header("Retry-After", String.valueOf(limited.retryAfterSeconds()));
      throw new BosunException(
          ErrorCode.RATE_LIMITED,
          "too many requests to service "
              + runName
              + " (rate limit of "
              + limited.limit().rps()
              + " per second on "
              + limited.limit().prefix()
              + " by "
              + limited.limit().key()
              + "); retry in "
              + limited.retryAfterSeconds()
              + " s");
    }
    if (route.spec().service().auth()) {
      authorize(ctx, projectName);
    }
    return route;
  }

  /**
   * Where a WebSocket upgrade to {@code /proxy/services/<project>/<run>/<path>} goes: admitted as
   * any request, then a ready replica (waiting for one, counting towards autoscaling) and the URI
   * it receives. The caller ends the request with {@link #socketDone}.
   */
  SocketTarget socketTarget(Context ctx) throws InterruptedException {
    String projectName = ctx.pathParam("project");
    String runName = ctx.pathParam("run");
    String path = "/" + ctx.pathParamMap().getOrDefault("path", "");
    Route route = admit(ctx, projectName, runName, path);
    replicas.countRequest(route.run().id());
    try {
      Replica replica = awaitReady(projectName + "/" + runName, route);
      replica.outstanding.incrementAndGet(); // a WebSocket is a request in flight while it lasts
      String target = route.spec().service().stripPrefix() ? path : ctx.path();
      InetSocketAddress address = replica.address;
      return new SocketTarget(
          route.run().id(),
          runName,
          URI.create(
              "ws://"
                  + address.getHostString()
                  + ":"
                  + address.getPort()
                  + target
                  + (ctx.queryString() == null ? "" : "?" + ctx.queryString())),
          replica);
    } catch (RuntimeException | InterruptedException e) {
      replicas.requestDone(route.run().id());
      throw e;
    }
  }

  /** A WebSocket's replica and the URI it is opened at. */
  record SocketTarget(String runId, String runName, URI uri, Replica replica) {}

  /** The WebSocket to {@code target} has ended. */
  void socketDone(SocketTarget target) {
    target.replica().outstanding.decrementAndGet();
    replicas.requestDone(target.runId());
  }

  /**
   * Passes the request to a ready replica of the service: rate limits first, then the caller's
   * token (unless {@code auth: false}), then the replica with the fewest requests in flight, trying
   * another when one fails before answering.
   *
   * @param path the request's path under the service's prefix, for rate limits
   * @param prefix what the proxy's path adds before it, for {@code X-Forwarded-Prefix}
   * @param target the path (without the query) the replica receives, from the service's route
   */
  private void serve(
      Context ctx,
      String projectName,
      String runName,
      String path,
      String prefix,
      java.util.function.Function<Route, String> target)
      throws IOException, InterruptedException {
    String key = projectName + "/" + runName;
    Route route = admit(ctx, projectName, runName, path);
    replicas.countRequest(route.run().id());
    String uri = target.apply(route) + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
    try {
      send(ctx, key, route, runName, uri, prefix);
    } finally {
      replicas.requestDone(route.run().id());
    }
  }

  /** Sends the request to a ready replica, trying another when one fails before answering. */
  private void send(Context ctx, String key, Route route, String runName, String uri, String prefix)
      throws IOException, InterruptedException {
    Replica replica = null;
    for (int attempt = 1; ; attempt++) {
      replica = awaitReady(key, route);
      replica.outstanding.incrementAndGet();
      try {
        forwarder.forward(ctx, route.spec(), runName, replica.address, uri, prefix);
        return;
      } catch (ReplicaForwarder.ReplicaFailed e) {
        replicas.unreachable(replica, e.getMessage());
        LOG.info(
            "service {}: replica {} failed a request ({}){}",
            key,
            replica.num,
            e.getMessage(),
            e.retryable && attempt < MAX_ATTEMPTS ? "; trying another" : "");
        if (!e.retryable || attempt >= MAX_ATTEMPTS) {
          throw new BosunException(
              ErrorCode.AGENT_UNAVAILABLE,
              "replica " + replica.num + " of service " + runName + " " + e.getMessage());
        }
      } finally {
        replica.outstanding.decrementAndGet();
      }
    }
  }

  /** How many replicas one request is tried on. */
  static final int MAX_ATTEMPTS = 3;

  /**
   * Checks the caller's token and membership of the project, remembering a success for {@link
   * #ROUTE_TTL} so that a stream of requests does not query the store for each.
   */
  private void authorize(Context ctx, String projectName) {
    String header = ctx.header("Authorization");
    String key = header == null ? null : projectName + " " + header;
    Long until = key == null ? null : allowed.get(key);
    if (until != null && until - System.nanoTime() > 0) {
      return;
    }
    caller.authenticate(ctx);
    caller.project(ctx, projectName);
    if (allowed.size() > MAX_ALLOWED) {
      allowed.clear();
    }
    allowed.put(key, System.nanoTime() + ROUTE_TTL.toNanos());
  }

  private static final int MAX_ALLOWED = 10_000;

  /**
   * Where a service's requests go, looked up at most once per {@link #ROUTE_TTL}: a stopped run or
   * a replica that ends is noticed within that time (and at once when forwarding fails).
   */
  private record Route(RunRecord run, RunSpec spec, RateLimits limits, long checkedAt) {
    boolean isStale() {
      return System.nanoTime() - checkedAt > ROUTE_TTL.toNanos();
    }
  }

  static final Duration ROUTE_TTL = Duration.ofSeconds(1);

  /** The service's run and spec from the store, remembered for {@link #ROUTE_TTL}. */
  private Route lookUp(String projectName, String runName) {
    ProjectRecord project =
        store.project(projectName).orElseThrow(() -> noService(projectName, runName));
    RunRecord run =
        store.run(project.id(), runName).orElseThrow(() -> noService(projectName, runName));
    RunSpec spec = specs.of(run);
    if (!spec.isService()) {
      throw noService(projectName, runName); // (nothing said of other runs before any token)
    }
    // The counters of a service's rate limits outlive the lookups of its route.
    Route known = routes.get(projectName + "/" + runName);
    RateLimits limits =
        known != null && known.run().id().equals(run.id()) && known.spec().equals(spec)
            ? known.limits()
            : new RateLimits(spec.service().rateLimits());
    Route route = new Route(run, spec, limits, System.nanoTime());
    routes.put(projectName + "/" + runName, route);
    return route;
  }

  private static BosunException noService(String project, String run) {
    return new BosunException(
        ErrorCode.NOT_FOUND, "no service named '" + run + "' in project '" + project + "'");
  }

  /**
   * A ready replica of the service (one that just failed a request is out of rotation until a probe
   * passes again, so a retry goes elsewhere when it can), waiting for one while it starts or
   * scales; fails when the service has ended or none is ready within {@link #WAIT_FOR_REPLICA}.
   */
  private Replica awaitReady(String key, Route route) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT_FOR_REPLICA.toNanos();
    long nextCheck = 0;
    while (true) {
      Replica replica = replicas.pick(route.run().id());
      if (replica != null) {
        return replica;
      }
      long now = System.nanoTime();
      if (now - nextCheck >= 0) {
        RunRecord current = store.runById(route.run().id()).orElse(route.run());
        if (current.status().isFinished()) {
          routes.remove(key);
          throw new BosunException(
              ErrorCode.RUN_NOT_ACTIVE,
              "service "
                  + current.name()
                  + " is "
                  + current.status().wireName()
                  + "; apply it again");
        }
        nextCheck = now + Duration.ofMillis(500).toNanos();
      }
      if (now - deadline >= 0) {
        throw new BosunException(
            ErrorCode.AGENT_UNAVAILABLE,
            "service "
                + route.run().name()
                + " cannot take the request: "
                + replicas.whyNoneReady(route.run().id(), route.spec())
                + " after "
                + WAIT_FOR_REPLICA.toSeconds()
                + " s; see bosun ps and bosun logs "
                + route.run().name());
      }
      Thread.sleep(50);
    }
  }
}
