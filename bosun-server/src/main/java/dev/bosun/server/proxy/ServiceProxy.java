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
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Who may reach a service and which replica serves them, for the proxy's HTTP requests ({@link
 * ProxyHandler}) and WebSockets ({@link ServiceSockets}): a request is admitted by the service's
 * rate limits and (unless {@code auth: false}) a Bosun token of a member of the project, then given
 * the ready replica with the fewest requests in flight, waiting up to {@link #WAIT_FOR_REPLICA}
 * while none is ready (the service starts, scales from zero or replaces a replica). A service's
 * route and a caller's access are remembered for {@link #ROUTE_TTL}, so a stream of requests does
 * not query the store for each.
 */
public final class ServiceProxy {
  public static final String PREFIX = "/proxy/services/";
  public static final String MODELS_PREFIX = "/proxy/models/";

  /** How long a request waits for a replica that can take it. */
  static final Duration WAIT_FOR_REPLICA = Duration.ofSeconds(60);

  /** How many replicas one request is tried on. */
  static final int MAX_ATTEMPTS = 3;

  static final Duration ROUTE_TTL = Duration.ofSeconds(1);

  private static final int MAX_ALLOWED = 10_000;

  private final Store store;
  private final RunSpecs specs;
  private final Caller caller;
  final ServiceReplicas replicas;
  final ModelCatalog models;
  private final ConcurrentHashMap<String, Route> routes = new ConcurrentHashMap<>();
  // "project Authorization-header" -> until when (nanoTime) the caller was found to have access
  private final ConcurrentHashMap<String, Long> allowed = new ConcurrentHashMap<>();

  public ServiceProxy(Store store, RunSpecs specs, ServiceReplicas replicas, Caller caller) {
    this.store = store;
    this.specs = specs;
    this.replicas = replicas;
    this.caller = caller;
    this.models = new ModelCatalog(store, specs);
  }

  /** A request refused by a rate limit: answered 429 with {@code Retry-After}. */
  static final class RateLimited extends BosunException {
    final long retryAfterSeconds;

    RateLimited(String message, long retryAfterSeconds) {
      super(ErrorCode.RATE_LIMITED, message);
      this.retryAfterSeconds = retryAfterSeconds;
    }
  }

  /**
   * The service's route once the request has passed its rate limits and (unless {@code auth:
   * false}) the caller's token has been checked: before any wait for a replica, so a caller without
   * access learns nothing more.
   *
   * @param path the request's path under the service, for rate limits by prefix
   * @param header the request's headers by name (rate limits keyed by a header, the token)
   */
  Route admit(
      String projectName,
      String runName,
      String path,
      String clientIp,
      Function<String, String> header) {
    Route route = routes.get(projectName + "/" + runName);
    if (route == null || route.isStale()) {
      route = lookUp(projectName, runName);
    }
    checkLimits(route, path, clientIp, header);
    if (route.spec().service().auth()) {
      authorize(header.apply("Authorization"), projectName);
    }
    return route;
  }

  /**
   * {@link #admit} from what is remembered (the service's route and, unless {@code auth: false},
   * the caller's access), or null when that needs the store: nothing here waits.
   */
  Route admitFromMemory(
      String projectName,
      String runName,
      String path,
      String clientIp,
      Function<String, String> header) {
    Route route = routes.get(projectName + "/" + runName);
    if (route == null || route.isStale()) {
      return null;
    }
    if (route.spec().service().auth()) {
      String authorization = header.apply("Authorization");
      Long until = authorization == null ? null : allowed.get(projectName + " " + authorization);
      if (until == null || until - System.nanoTime() <= 0) {
        return null;
      }
    }
    checkLimits(route, path, clientIp, header);
    return route;
  }

  private static void checkLimits(
      Route route, String path, String clientIp, Function<String, String> header) {
    RateLimits.Decision limited = route.limits().check(path, clientIp, header);
    if (!limited.allowed()) {
      throw new RateLimited(
          "too many requests to service "
              + route.run().name()
              + " (rate limit of "
              + limited.limit().rps()
              + " per second on "
              + limited.limit().prefix()
              + " by "
              + limited.limit().key()
              + "); retry in "
              + limited.retryAfterSeconds()
              + " s",
          limited.retryAfterSeconds());
    }
  }

  /**
   * Checks the caller's token and membership of the project, remembering a success for {@link
   * #ROUTE_TTL} so that a stream of requests does not query the store for each.
   */
  void authorize(String header, String projectName) {
    String key = header == null ? null : projectName + " " + header;
    Long until = key == null ? null : allowed.get(key);
    if (until != null && until - System.nanoTime() > 0) {
      return;
    }
    caller.project(caller.authenticate(header), projectName);
    if (allowed.size() > MAX_ALLOWED) {
      allowed.clear();
    }
    allowed.put(key, System.nanoTime() + ROUTE_TTL.toNanos());
  }

  /** The project (for the model endpoint, whose callers are checked already). */
  ProjectRecord project(String projectName) {
    return store
        .project(projectName)
        .orElseThrow(
            () ->
                new BosunException(
                    ErrorCode.PROJECT_NOT_FOUND, "no project named '" + projectName + "'"));
  }

  /**
   * Where a service's requests go, looked up at most once per {@link #ROUTE_TTL}: a stopped run or
   * a replica that ends is noticed within that time (and at once when forwarding fails).
   */
  record Route(String key, RunRecord run, RunSpec spec, RateLimits limits, long checkedAt) {
    boolean isStale() {
      return System.nanoTime() - checkedAt > ROUTE_TTL.toNanos();
    }

    String runId() {
      return run.id();
    }
  }

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
    String key = projectName + "/" + runName;
    // The counters of a service's rate limits outlive the lookups of its route.
    Route known = routes.get(key);
    RateLimits limits =
        known != null && known.run().id().equals(run.id()) && known.spec().equals(spec)
            ? known.limits()
            : new RateLimits(spec.service().rateLimits());
    Route route = new Route(key, run, spec, limits, System.nanoTime());
    routes.put(key, route);
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
  Replica awaitReady(Route route) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT_FOR_REPLICA.toNanos();
    long nextCheck = 0;
    while (true) {
      Replica replica = replicas.pick(route.runId());
      if (replica != null) {
        return replica;
      }
      long now = System.nanoTime();
      if (now - nextCheck >= 0) {
        RunRecord current = store.runById(route.runId()).orElse(route.run());
        if (current.status().isFinished()) {
          routes.remove(route.key());
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
                + replicas.whyNoneReady(route.runId(), route.spec())
                + " after "
                + WAIT_FOR_REPLICA.toSeconds()
                + " s; see bosun ps and bosun logs "
                + route.run().name());
      }
      Thread.sleep(50);
    }
  }
}
