package dev.bosun.server.proxy;

import dev.bosun.api.ApiError;
import dev.bosun.api.Json;
import dev.bosun.model.error.BosunException;
import dev.bosun.model.error.ErrorCode;
import dev.bosun.server.proxy.ServiceProxy.Route;
import dev.bosun.store.ProjectRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services proxy in front of the API, as a Jetty handler: {@code
 * /proxy/services/<project>/<run>/…}, {@code /proxy/models/<project>/v1/…} and (with a services
 * domain) requests for {@code RUN.PROJECT.DOMAIN} are admitted and forwarded here without going
 * through the API's servlet; everything else, WebSocket upgrades included ({@link ServiceSockets}),
 * goes on to the API (on a virtual thread: its servlet blocks). A request whose service and caller
 * are known already is forwarded on the thread that read it; one that needs the store (the first of
 * a service or a token in a second), or whose body is read first, waits on a virtual thread.
 * Forwarding holds no thread while the replica or the caller is slow ({@link ReplicaForwarder}).
 */
public final class ProxyHandler extends Handler.Wrapper {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyHandler.class);

  /** Request bodies up to this size are read before they are passed on (a retry resends them). */
  static final int BUFFERED_BODY = 1 << 20;

  /** The largest body of a request to the model endpoint (it is read to find its model). */
  static final int MODEL_BODY = 64 << 20;

  private static final String MODELS_V1 = "/v1";

  /** Set on a WebSocket upgrade to a service: its {@link SocketPaths}. */
  static final String SOCKET_PATHS = "bosun.proxy.socket-paths";

  /**
   * The service and paths of a WebSocket upgrade to a service, as the proxy reads them.
   *
   * @param under the path under the service (for rate limits)
   * @param full the path its replica receives
   * @param stripped the path its replica receives when the service strips the proxy's prefix
   */
  record SocketPaths(String project, String run, String under, String full, String stripped) {}

  private final ServiceProxy proxy;
  private final ServiceHosts hosts;
  private final java.time.Duration replicaTimeout;
  private ReplicaForwarder forwarder;

  /**
   * @param servicesDomain the domain under which services have host names, or null for none
   * @param replicaTimeout how long a replica may stay silent during a request
   */
  public ProxyHandler(
      ServiceProxy proxy, String servicesDomain, java.time.Duration replicaTimeout) {
    this.proxy = proxy;
    this.replicaTimeout = replicaTimeout;
    this.hosts = servicesDomain == null ? null : new ServiceHosts(servicesDomain);
  }

  @Override
  protected void doStart() throws Exception {
    forwarder =
        new ReplicaForwarder(
            proxy, getServer().getThreadPool(), getServer().getByteBufferPool(), replicaTimeout);
    super.doStart();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    Call call = call(request);
    if (call != null && ProxyPaths.ambiguous(request.getHttpURI())) {
      writeError(
          response,
          callback,
          new BosunException(
              ErrorCode.INVALID_REQUEST,
              "the request's path has an encoded '/' (%2F), a '.' or '..' segment written in"
                  + " escapes, or a ';' parameter on '..', which a service could read differently"
                  + " from the proxy; send the path plainly"));
      return true;
    }
    if (call == null) {
      // the API (its servlet blocks: on a virtual thread), WebSocket upgrades included
      if (Thread.currentThread().isVirtual()) {
        return super.handle(request, response, callback);
      }
      blocking.execute(() -> toApi(request, response, callback));
      return true;
    }
    if (call.upgrade()) {
      // to ServiceSockets (on the API's server) at the path read here, so that Javalin picks the
      // service the proxy admits (a host name's WebSocket goes to the service's path endpoint)
      request.setAttribute(
          SOCKET_PATHS,
          new SocketPaths(
              call.project(),
              call.run(),
              call.under(),
              call.target(call.path()),
              call.target(call.under())));
      String served =
          (call.hostSocket() ? ServiceProxy.PREFIX + call.project() + "/" + call.run() : "")
              + call.target(call.path());
      HttpURI uri = HttpURI.build(request.getHttpURI()).path(served);
      blocking.execute(() -> toApi(Request.serveAs(request, uri), response, callback));
      return true;
    }
    boolean read = call.model() || request.getLength() > 0 && request.getLength() <= BUFFERED_BODY;
    if (!read && !Thread.currentThread().isVirtual()) {
      // the usual request: admitted from memory, nothing here waits
      Route route;
      try {
        route =
            proxy.admitFromMemory(
                call.project(),
                call.run(),
                call.under(),
                Request.getRemoteAddr(request),
                name -> request.getHeaders().get(name));
      } catch (BosunException e) {
        writeError(response, callback, e);
        return true;
      }
      if (route != null) {
        forward(call, route, request, response, callback, null);
        return true;
      }
    }
    blocking.execute(() -> run(call, request, response, callback));
    return true;
  }

  /**
   * What the request is for the proxy, or null when it is the API's. Paths are as Jetty decodes and
   * normalizes them ({@code %61pi} is {@code api}, {@code a/../b} is {@code b}; escapes of reserved
   * characters such as {@code %3F} stay), with repeated slashes merged, so routes and rate limits
   * see what the replica will.
   *
   * @param run null for the model endpoint
   * @param under the path under the service, or under {@code /proxy/models/<project>}
   * @param prefix what the proxy's path adds before the service's, "" for a host name
   */
  private record Call(
      String project, String run, String under, String prefix, String path, boolean upgrade) {
    boolean model() {
      return run == null;
    }

    boolean hostSocket() {
      return upgrade && prefix.isEmpty();
    }

    /** A path as read here ({@link #call}) as the replica receives it. */
    String target(String canonical) {
      return ProxyPaths.escapeUnsafe(canonical);
    }
  }

  private Call call(Request request) {
    String path = request.getHttpURI().getCanonicalPath();
    if (path == null) {
      return null; // not a path Jetty can make sense of: the API refuses it
    }
    path = ProxyPaths.mergeSlashes(path);
    boolean upgrade = isWebSocket(request);
    String[] service = hosts == null ? null : hosts.service(request.getHeaders().get("Host"));
    if (service != null) {
      return new Call(service[1], service[0], path, "", path, upgrade);
    }
    if (path.startsWith(ServiceProxy.PREFIX)) {
      String[] parts = path.substring(ServiceProxy.PREFIX.length()).split("/", 3);
      if (parts.length >= 2 && !parts[0].isEmpty() && !parts[1].isEmpty()) {
        return new Call(
            parts[0],
            parts[1],
            parts.length == 3 ? "/" + parts[2] : "/",
            ServiceProxy.PREFIX + parts[0] + "/" + parts[1],
            path,
            upgrade);
      }
    } else if (path.startsWith(ServiceProxy.MODELS_PREFIX) && !upgrade) {
      String[] parts = path.substring(ServiceProxy.MODELS_PREFIX.length()).split("/", 2);
      if (parts.length == 2 && !parts[0].isEmpty()) {
        return new Call(
            parts[0], null, "/" + parts[1], ServiceProxy.MODELS_PREFIX + parts[0], path, false);
      }
    }
    return null;
  }

  /** Serves the call, answering any error it meets. */
  private void run(Call call, Request request, Response response, Callback callback) {
    try {
      if (call.model()) {
        model(call, request, response, callback);
      } else {
        Route route =
            proxy.admit(
                call.project(),
                call.run(),
                call.under(),
                Request.getRemoteAddr(request),
                name -> request.getHeaders().get(name));
        forward(call, route, request, response, callback, null);
      }
    } catch (BosunException e) {
      writeError(response, callback, e);
    } catch (RuntimeException e) {
      LOG.error("internal error on {} {}", request.getMethod(), call.path(), e);
      writeError(response, callback, internal(e));
    }
  }

  static BosunException internal(RuntimeException e) {
    return new BosunException(
        ErrorCode.INTERNAL_ERROR,
        "internal server error ("
            + e.getClass().getSimpleName()
            + "); the server log has the details");
  }

  private void toApi(Request request, Response response, Callback callback) {
    try {
      if (!super.handle(request, response, callback)) {
        Response.writeError(request, response, callback, 404);
      }
    } catch (Throwable e) {
      callback.failed(e);
    }
  }

  /**
   * This handler does not block (see {@link #handle}): Jetty calls it on the thread that read the
   * request, and it sends what may wait (the API, a store query, a body read) to virtual threads.
   */
  @Override
  public InvocationType getInvocationType() {
    return InvocationType.NON_BLOCKING;
  }

  private final java.util.concurrent.ExecutorService blocking =
      java.util.concurrent.Executors.newThreadPerTaskExecutor(
          Thread.ofVirtual().name("api-request-", 0).factory());

  private static boolean isWebSocket(Request request) {
    String upgrade = request.getHeaders().get(HttpHeader.UPGRADE);
    return upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket");
  }

  /**
   * Forwards an admitted request of the service to a replica, counting it.
   *
   * @param body the body read already (the model endpoint's), or null
   */
  private void forward(
      Call call, Route route, Request request, Response response, Callback callback, byte[] body) {
    String path;
    if (!call.prefix().isEmpty() && route.spec().service().stripPrefix()) {
      path = call.target(call.under());
    } else {
      path = call.target(call.path());
    }
    if (body == null && request.getLength() > 0 && request.getLength() <= BUFFERED_BODY) {
      body = readBody(request, BUFFERED_BODY);
    }
    String query = request.getHttpURI().getQuery();
    String target = path + (query == null ? "" : "?" + query);
    // A replica may think for minutes before its answer starts (a long completion): the caller's
    // connection stays open meanwhile, however long it is idle.
    request.addIdleTimeoutListener(timeout -> false);
    proxy.replicas.countRequest(route.runId());
    forwarder.forward(request, response, callback, route, target, call.prefix(), body);
  }

  /**
   * {@code GET /proxy/models/<project>/v1/models} lists the models of the project's running
   * services; any other request under it goes to the service whose {@code model} its body names, at
   * the model's {@code prefix} ({@code /v1/chat/completions} to the service's {@code
   * /v1/chat/completions} by default). Only the project's members may use it, whatever a service's
   * {@code auth} says: the body is read (to find its model) only for them.
   */
  private void model(Call call, Request request, Response response, Callback callback) {
    String projectName = call.project();
    String path = call.under();
    if (!path.startsWith(MODELS_V1 + "/")) {
      throw new BosunException(
          ErrorCode.NOT_FOUND,
          "the model endpoint answers under "
              + ServiceProxy.MODELS_PREFIX
              + projectName
              + MODELS_V1
              + "/ (models, chat/completions, completions, embeddings)");
    }
    proxy.authorize(request.getHeaders().get(HttpHeader.AUTHORIZATION), projectName);
    ProjectRecord project = proxy.project(projectName);
    if (path.equals(MODELS_V1 + "/models") && request.getMethod().equals("GET")) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      Content.Sink.write(
          response,
          true,
          ModelCatalog.list(projectName, proxy.models.models(project.id())),
          callback);
      return;
    }
    byte[] body = readBody(request, MODEL_BODY);
    ModelCatalog.Served served =
        proxy.models.serving(project.id(), projectName, ModelCatalog.modelOf(body));
    String target = served.spec().prefix() + path.substring(MODELS_V1.length());
    Call service = new Call(projectName, served.runName(), target, call.prefix(), target, false);
    Route route =
        proxy.admit(
            projectName,
            served.runName(),
            target,
            Request.getRemoteAddr(request),
            name -> request.getHeaders().get(name));
    forward(service, route, request, response, callback, body);
  }

  /** The request's whole body, refused (400) when longer than {@code limit} bytes. */
  private static byte[] readBody(Request request, int limit) {
    if (request.getLength() > limit) {
      throw tooLarge(limit);
    }
    try {
      return Content.Source.asByteArrayAsync(request, limit).get();
    } catch (ExecutionException e) {
      if (Request.getContentBytesRead(request) >= limit) {
        throw tooLarge(limit);
      }
      throw new BosunException(
          ErrorCode.INVALID_REQUEST,
          "cannot read the request body ("
              + (e.getCause() == null ? e : e.getCause()).getMessage()
              + "); send it again");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BosunException(ErrorCode.AGENT_UNAVAILABLE, "the server is stopping");
    }
  }

  private static BosunException tooLarge(int limit) {
    return new BosunException(
        ErrorCode.INVALID_REQUEST,
        "the request body is larger than "
            + (limit >= 1 << 20 ? (limit >> 20) + " MiB" : limit + " bytes")
            + "; send a smaller one");
  }

  /** Answers with a Bosun error (JSON, as the API's), unless the answer has begun already. */
  static void writeError(Response response, Callback callback, BosunException error) {
    if (response.isCommitted()) {
      callback.failed(error);
      return;
    }
    ErrorCode code = error.code();
    response.setStatus(code.httpStatus());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    if (error instanceof ServiceProxy.RateLimited limited) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, String.valueOf(limited.retryAfterSeconds));
    }
    byte[] json;
    try {
      json =
          Json.mapper()
              .writeValueAsBytes(
                  new ApiError(
                      code.wireName(),
                      code.category().name().toLowerCase(Locale.ROOT),
                      error.getMessage()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      LOG.warn("cannot write an error as JSON: {}", e.toString());
      json = error.getMessage().getBytes(StandardCharsets.UTF_8);
    }
    response.write(true, ByteBuffer.wrap(json), callback);
  }

  @Override
  protected void doStop() throws Exception {
    blocking.shutdownNow();
    forwarder.close();
    super.doStop();
  }
}
