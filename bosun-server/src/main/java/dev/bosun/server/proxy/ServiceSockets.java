package dev.bosun.server.proxy;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.websocket.WsContext;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebSockets through the services proxy: an upgrade to {@code /proxy/services/<project>/<run>/…} is
 * admitted as any request of the service (rate limits, token), given a ready replica and opened to
 * it at the same path before the caller's upgrade — so a service that cannot take it answers with
 * an HTTP error, and the caller is answered with the subprotocol the replica chose from those it
 * offered; then messages (text, binary) and the close pass both ways, in order. The replica's
 * connection failing closes the caller's with 1011, and the other way round.
 */
public final class ServiceSockets {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceSockets.class);
  private static final String TARGET = "bosun.proxy.socket";

  private final ServiceProxy proxy;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .executor(Executors.newVirtualThreadPerTaskExecutor())
          .build();
  // session id -> the replica's side
  private final Map<String, Relay> relays = new ConcurrentHashMap<>();

  public ServiceSockets(ServiceProxy proxy) {
    this.proxy = proxy;
  }

  /** Registers the WebSocket endpoints under the proxy's paths. */
  public void register(JavalinConfig config) {
    for (String path :
        new String[] {
          ServiceProxy.PREFIX + "{project}/{run}", ServiceProxy.PREFIX + "{project}/{run}/<path>"
        }) {
      config.routes.wsBeforeUpgrade(path, this::beforeUpgrade);
      config.routes.ws(
          path,
          ws -> {
            ws.onConnect(this::open);
            ws.onMessage(ctx -> relay(ctx).toReplica(ctx.message()));
            ws.onBinaryMessage(
                ctx -> {
                  ByteBuffer data = ByteBuffer.allocate(ctx.data().remaining()).put(ctx.data());
                  relay(ctx).toReplica(data.flip());
                });
            ws.onClose(ctx -> closed(ctx.sessionId(), ctx.status(), ctx.reason()));
            ws.onError(ctx -> closed(ctx.sessionId(), 1011, "error"));
          });
    }
  }

  /**
   * Opens the replica's side before the caller's upgrade: a replica that refuses is an HTTP error
   * for the caller, and the subprotocol the replica chose is the one the caller is answered with.
   */
  private void beforeUpgrade(Context ctx) throws InterruptedException {
    SocketTarget target = socketTarget(ctx);
    Relay relay = new Relay(target);
    CompletableFuture<WebSocket> opening;
    try {
      WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
      String[] offered = offeredProtocols(ctx.header("Sec-WebSocket-Protocol"));
      if (offered.length > 0) {
        builder.subprotocols(offered[0], java.util.Arrays.copyOfRange(offered, 1, offered.length));
      }
      opening = builder.buildAsync(target.uri(), relay);
    } catch (RuntimeException e) {
      relay.finish(); // e.g. a subprotocol the client library refuses
      throw new dev.bosun.model.error.BosunException(
          dev.bosun.model.error.ErrorCode.INVALID_REQUEST,
          "cannot open a WebSocket to service "
              + target.runName()
              + " with this handshake ("
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
              + ")");
    }
    try {
      relay.replica = opening.get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException
        | java.util.concurrent.TimeoutException
        | InterruptedException e) {
      // one that opens after all is closed at once (cancelling the future would not close it)
      opening.whenComplete(
          (socket, failure) -> {
            if (socket != null) {
              socket.abort();
            }
          });
      relay.finish();
      if (e instanceof InterruptedException) {
        throw (InterruptedException) e;
      }
      Throwable cause = e.getCause() == null ? e : e.getCause();
      LOG.info(
          "service {}: cannot open a WebSocket to {}: {}",
          target.runName(),
          target.uri(),
          cause.toString());
      throw new dev.bosun.model.error.BosunException(
          dev.bosun.model.error.ErrorCode.AGENT_UNAVAILABLE,
          "replica "
              + target.replica().num
              + " of service "
              + target.runName()
              + " refused the WebSocket ("
              + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage())
              + ")");
    }
    String chosen = relay.replica.getSubprotocol();
    if (chosen != null && !chosen.isEmpty()) {
      ctx.header("Sec-WebSocket-Protocol", chosen);
    }
    ctx.attribute(TARGET, relay);
    // An upgrade that never completes (the caller went away) must not keep the replica's side.
    abandoned.schedule(relay::abandonIfNotOpened, 30, TimeUnit.SECONDS);
  }

  private final java.util.concurrent.ScheduledExecutorService abandoned =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("proxy-sockets").daemon().factory());

  /**
   * Where the WebSocket goes: admitted as any request of the service, then a ready replica (waiting
   * for one, counting towards autoscaling) and the URI it receives. The socket's end is {@link
   * #socketDone}.
   */
  private SocketTarget socketTarget(Context ctx) throws InterruptedException {
    ProxyHandler.SocketPaths paths = ctx.attribute(ProxyHandler.SOCKET_PATHS);
    if (paths == null) {
      // a path Javalin matches but that, read as the proxy reads it, names no service
      throw new dev.bosun.model.error.BosunException(
          dev.bosun.model.error.ErrorCode.NOT_FOUND,
          "no service at " + ctx.path() + "; WebSockets go to /proxy/services/PROJECT/RUN/…");
    }
    String projectName = paths.project();
    String runName = paths.run();
    ServiceProxy.Route route =
        proxy.admit(projectName, runName, paths.under(), ctx.req().getRemoteAddr(), ctx::header);
    proxy.replicas.countRequest(route.runId());
    try {
      ServiceReplicas.Replica replica = proxy.awaitReady(route);
      replica.outstanding.incrementAndGet(); // a WebSocket is a request in flight while it lasts
      while (replica.retired) {
        // retired since it was picked: its drain may have seen no request in flight already
        replica.outstanding.decrementAndGet();
        replica = proxy.awaitReady(route);
        replica.outstanding.incrementAndGet();
      }
      String target = route.spec().service().stripPrefix() ? paths.stripped() : paths.full();
      java.net.InetSocketAddress address = replica.address;
      java.net.URI uri;
      try {
        uri =
            java.net.URI.create(
                "ws://"
                    + address.getHostString()
                    + ":"
                    + address.getPort()
                    + target
                    + (ctx.queryString() == null ? "" : "?" + ctx.queryString()));
      } catch (IllegalArgumentException e) {
        replica.outstanding.decrementAndGet();
        throw new dev.bosun.model.error.BosunException(
            dev.bosun.model.error.ErrorCode.INVALID_REQUEST,
            "the WebSocket's path or query cannot be passed on to service "
                + runName
                + " ("
                + e.getMessage()
                + "); encode it");
      }
      return new SocketTarget(route.runId(), runName, uri, replica);
    } catch (RuntimeException | InterruptedException e) {
      proxy.replicas.requestDone(route.runId());
      throw e;
    }
  }

  /** The subprotocols a handshake offers, in its order ({@code Sec-WebSocket-Protocol}). */
  static String[] offeredProtocols(String header) {
    if (header == null) {
      return new String[0];
    }
    return java.util.Arrays.stream(header.split(","))
        .map(String::strip)
        .filter(protocol -> !protocol.isEmpty())
        .toArray(String[]::new);
  }

  /** A WebSocket's replica and the URI it is opened at. */
  private record SocketTarget(
      String runId, String runName, java.net.URI uri, ServiceReplicas.Replica replica) {}

  /** The WebSocket to {@code target} has ended. */
  private void socketDone(SocketTarget target) {
    target.replica().outstanding.decrementAndGet();
    proxy.replicas.requestDone(target.runId());
  }

  private void open(WsContext ctx) {
    Relay relay = ctx.attribute(TARGET);
    ctx.session.setIdleTimeout(Duration.ofHours(1));
    ctx.enableAutomaticPings(30, TimeUnit.SECONDS);
    relays.put(ctx.sessionId(), relay);
    relay.attach(ctx);
  }

  private Relay relay(WsContext ctx) {
    Relay relay = relays.get(ctx.sessionId());
    if (relay == null) {
      throw new IllegalStateException("no replica for WebSocket " + ctx.sessionId());
    }
    return relay;
  }

  private void closed(String sessionId, int status, String reason) {
    Relay relay = relays.remove(sessionId);
    if (relay != null) {
      relay.close(status, reason);
    }
  }

  /**
   * One WebSocket: the replica's side, opened before the caller's upgrade, and the caller's session
   * once it opens. Nothing is read from the replica before then.
   */
  private final class Relay implements WebSocket.Listener {
    private final SocketTarget target;
    private final StringBuilder text = new StringBuilder();
    private java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();
    private volatile WsContext caller;
    private volatile WebSocket replica;
    // the replica's WebSocket takes one send at a time: each waits for the one before
    private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
    private volatile boolean done;
    // how the replica closed before the caller's session opened
    private int earlyStatus = 1011;
    private String earlyReason = "";

    Relay(SocketTarget target) {
      this.target = target;
    }

    @Override
    public void onOpen(WebSocket socket) {
      // no demand until the caller's session is open (attach)
    }

    /** The caller's session is open: the replica's messages may flow. */
    synchronized void attach(WsContext ctx) {
      caller = ctx;
      if (done) {
        relays.remove(ctx.sessionId());
        ctx.closeSession(earlyStatus, earlyReason);
        return;
      }
      replica.request(1);
    }

    /** The caller's upgrade did not complete: the replica's side is dropped. */
    synchronized void abandonIfNotOpened() {
      if (caller == null && !done) {
        finish();
        replica.abort();
      }
    }

    synchronized void toReplica(String message) {
      sending = sending.thenCompose(x -> replica.sendText(message, true));
    }

    synchronized void toReplica(ByteBuffer message) {
      sending = sending.thenCompose(x -> replica.sendBinary(message, true));
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        caller.send(text.toString());
        text.setLength(0);
      }
      socket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      binary.writeBytes(bytes);
      if (last) {
        caller.send(ByteBuffer.wrap(binary.toByteArray()));
        binary = new java.io.ByteArrayOutputStream();
      }
      socket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
      ended(status, reason);
      return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
      LOG.debug(
          "service {}: WebSocket to the replica failed: {}", target.runName(), error.toString());
      ended(1011, "the replica of service " + target.runName() + " failed");
    }

    /** The replica's side ended: so does the caller's, now or as soon as it opens. */
    private synchronized void ended(int status, String reason) {
      finish();
      WsContext session = caller;
      if (session == null) {
        earlyStatus = status;
        earlyReason = reason == null ? "" : reason;
        return;
      }
      relays.remove(session.sessionId());
      session.closeSession(status, reason);
    }

    /** The caller closed: so is the replica's side. */
    void close(int status, String reason) {
      finish();
      WebSocket socket = replica;
      if (socket != null && !socket.isOutputClosed()) {
        int code = status == 1005 || status == 1006 || status < 1000 ? 1000 : status;
        synchronized (this) {
          sending =
              sending
                  .handle((x, e) -> null)
                  .thenCompose(x -> socket.sendClose(code, reason == null ? "" : reason))
                  .whenComplete((x, e) -> socket.abort());
        }
      }
    }

    private synchronized void finish() {
      if (!done) {
        done = true;
        socketDone(target);
      }
    }
  }
}
