package dev.bosun.server.proxy;

import dev.bosun.model.error.BosunException;
import dev.bosun.model.error.ErrorCode;
import dev.bosun.server.proxy.ServiceProxy.Route;
import dev.bosun.server.proxy.ServiceReplicas.Replica;
import java.net.ConnectException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentSourceRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes requests to replicas and their answers back, asynchronously (for {@link ProxyHandler}):
 * Jetty's client keeps connections to each replica open between requests, and the answer is written
 * to the caller as each piece arrives (server-sent events pass as they come) with no thread held
 * while either side waits. Hop-by-hop headers and Bosun tokens are not passed on, {@code
 * X-Forwarded-*} are added. A replica that fails before answering is taken out of rotation and the
 * request tried on another ({@link ServiceProxy#MAX_ATTEMPTS} in all) when that is safe: nothing
 * reached the failed one, or the method is idempotent and its body was read first.
 */
final class ReplicaForwarder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaForwarder.class);

  /** Headers of one connection only (RFC 9110 7.6.1), and those the client sets itself. */
  private static final Set<String> NOT_PASSED =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-authenticate",
          "proxy-authorization",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "host",
          "content-length",
          "expect",
          "http2-settings");

  /** Methods that may be sent again after a replica failed while answering (RFC 9110 9.2.2). */
  private static final Set<String> IDEMPOTENT =
      Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE");

  private final ServiceProxy proxy;
  // how long a replica may stay silent during a request (before its answer starts, or between two
  // pieces of it) before the request fails: a long completion can think for minutes
  private final Duration silence;
  private final HttpClient client = new HttpClient();
  // waits for a replica (the service starting or scaling) without holding one of Jetty's threads
  private final ExecutorService waiting =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("proxy-wait-", 0).factory());

  /**
   * @param executor runs the client's work: the server's own thread pool, so that an answer is
   *     written to the caller on the thread that read it from the replica
   * @param silence how long a replica may stay silent during a request before it fails (504)
   */
  ReplicaForwarder(
      ServiceProxy proxy,
      java.util.concurrent.Executor executor,
      ByteBufferPool buffers,
      Duration silence) {
    this.proxy = proxy;
    this.silence = silence;
    client.setName("proxy-client");
    client.setExecutor(executor);
    client.setByteBufferPool(buffers);
    client.setFollowRedirects(false);
    client.setConnectTimeout(5_000);
    client.setIdleTimeout(60_000); // of a pooled connection no request uses
    client.setMaxConnectionsPerDestination(4096);
    client.setMaxRequestsQueuedPerDestination(65_536);
    client.setUserAgentField(null);
    client.setHttpCookieStore(new HttpCookieStore.Empty());
    client.getContentDecoderFactories().clear(); // bodies pass as the replica encoded them
    client.getProtocolHandlers().clear(); // 100-continue, 401 and redirects are the caller's
    try {
      client.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the services proxy's HTTP client", e);
    }
  }

  /**
   * Sends the request to a ready replica of {@code route} and its answer back, completing {@code
   * callback}; the request was admitted and counted ({@link ServiceReplicas#countRequest}) already,
   * and is marked done here however it ends.
   *
   * @param target the path and query the replica receives
   * @param prefix what the proxy's path adds before the service's ({@code X-Forwarded-Prefix})
   * @param body the request's body read already, or null to pass it as it comes (or when it has
   *     none)
   */
  void forward(
      Request request,
      Response response,
      Callback callback,
      Route route,
      String target,
      String prefix,
      byte[] body) {
    Exchange exchange;
    try {
      exchange = new Exchange(request, response, callback, route, target, prefix, body);
    } catch (RuntimeException e) {
      proxy.replicas.requestDone(route.runId()); // counted by the caller, never to be finished
      throw e;
    }
    try {
      exchange.next();
    } catch (RuntimeException e) {
      exchange.failInternally(e);
    }
  }

  /** One request through the proxy, tried on up to {@link ServiceProxy#MAX_ATTEMPTS} replicas. */
  private final class Exchange {
    private final Request request;
    private final Response response;
    private final Callback callback;
    private final Route route;
    private final String target;
    private final String prefix;
    private final byte[] body;
    private final boolean streamed;
    private final AtomicBoolean done = new AtomicBoolean();
    private final CallerBody callerBody;
    // the replica's request under way, aborted when the caller goes away
    private volatile org.eclipse.jetty.client.Request outgoing;
    // the caller's connection failed: no replica is blamed or tried for what follows
    private volatile Throwable callerGone;
    private int attempt;

    Exchange(
        Request request,
        Response response,
        Callback callback,
        Route route,
        String target,
        String prefix,
        byte[] body) {
      this.request = request;
      this.response = response;
      this.callback = callback;
      this.route = route;
      this.target = target;
      this.prefix = prefix;
      this.body = body;
      HttpFields headers = request.getHeaders();
      this.streamed =
          body == null
              && (request.getLength() > 0 || headers.contains(HttpHeader.TRANSFER_ENCODING));
      this.callerBody = streamed ? new CallerBody(request) : null;
      request.addFailureListener(
          failure -> {
            if (callerBody != null && callerBody.failedByReplicaSide(failure)) {
              return; // the replica's request failed and failed the body with it: not the caller
            }
            callerGone = failure;
            var sending = outgoing;
            if (sending != null) {
              sending.abort(failure); // the caller went away: so does the replica's request
            }
          });
    }

    /** The next try: at once when a replica is ready, else after waiting for one. */
    void next() {
      if (callerGone != null) {
        finish(callerGone);
        return;
      }
      attempt++;
      Replica replica = proxy.replicas.pick(route.runId());
      if (replica != null) {
        send(replica);
        return;
      }
      waiting.execute(
          () -> {
            try {
              send(proxy.awaitReady(route));
            } catch (BosunException e) {
              fail(e);
            } catch (InterruptedException e) {
              fail(new BosunException(ErrorCode.AGENT_UNAVAILABLE, "the server is stopping"));
            } catch (RuntimeException e) {
              failInternally(e);
            }
          });
    }

    void failInternally(RuntimeException e) {
      LOG.error("proxy {} {}: internal error", request.getMethod(), target, e);
      fail(ProxyHandler.internal(e));
    }

    private void send(Replica replica) {
      var outgoing =
          client
              .newRequest(replica.address.getHostString(), replica.address.getPort())
              .method(request.getMethod())
              .path(target)
              .idleTimeout(silence.toMillis(), TimeUnit.MILLISECONDS)
              .headers(this::copyHeaders);
      if (body != null) {
        outgoing.body(
            new BytesRequestContent(request.getHeaders().get(HttpHeader.CONTENT_TYPE), body));
      } else if (streamed) {
        outgoing.body(
            new ContentSourceRequestContent(
                callerBody, request.getHeaders().get(HttpHeader.CONTENT_TYPE)));
      }
      AtomicBoolean answered = new AtomicBoolean();
      this.outgoing = outgoing;
      if (callerGone != null) {
        finish(callerGone); // gone while a replica was picked: nothing is sent
        return;
      }
      outgoing
          .onResponseHeaders(
              answer -> {
                answered.set(true);
                response.setStatus(answer.getStatus());
                HttpFields.Mutable headers = response.getHeaders();
                Set<String> seen = new HashSet<>();
                for (HttpField field : answer.getHeaders()) {
                  String name = field.getLowerCaseName();
                  if (NOT_PASSED.contains(name) && !name.equals("content-length")) {
                    continue;
                  }
                  if (seen.add(name)) {
                    headers.put(field); // the replica's Date, Content-Type replace the server's
                  } else {
                    headers.add(field);
                  }
                }
              })
          .onResponseContentAsync(
              (answer, chunk, demand) -> {
                // the client releases the chunk when this returns; the write may finish later
                chunk.retain();
                response.write(
                    false,
                    chunk.getByteBuffer(),
                    Callback.from(
                        () -> {
                          chunk.release();
                          demand.run();
                        },
                        failure -> {
                          chunk.release();
                          answer.abort(failure);
                        }));
              });
      replica.outstanding.incrementAndGet();
      if (replica.retired) {
        // retired since it was picked: its drain may have seen no request in flight already
        replica.outstanding.decrementAndGet();
        attempt--;
        next();
        return;
      }
      try {
        outgoing.send(result -> sent(replica, result, answered.get()));
      } catch (RuntimeException e) {
        replica.outstanding.decrementAndGet();
        throw e;
      }
    }

    private void copyHeaders(HttpFields.Mutable headers) {
      boolean auth = route.spec().service().auth();
      for (HttpField field : request.getHeaders()) {
        String name = field.getLowerCaseName();
        if (NOT_PASSED.contains(name)
            || name.equals("authorization") && (auth || isBosunToken(field.getValue()))) {
          continue; // a Bosun token never reaches a replica
        }
        headers.add(field);
      }
      String forwardedFor = request.getHeaders().get(HttpHeader.X_FORWARDED_FOR);
      String remote = Request.getRemoteAddr(request);
      headers.put(
          HttpHeader.X_FORWARDED_FOR, forwardedFor == null ? remote : forwardedFor + ", " + remote);
      String host = request.getHeaders().get(HttpHeader.HOST);
      if (host != null) {
        headers.put(HttpHeader.X_FORWARDED_HOST, host);
      }
      headers.put(HttpHeader.X_FORWARDED_PROTO, request.isSecure() ? "https" : "http");
      if (route.spec().service().stripPrefix() && !prefix.isEmpty()) {
        headers.put("X-Forwarded-Prefix", prefix);
      }
    }

    /** The replica's exchange has ended: the answer is finished, or the request tried again. */
    private void sent(Replica replica, Result result, boolean answered) {
      replica.outstanding.decrementAndGet();
      if (callerGone != null) {
        // the caller went away and aborted the replica's request: nothing to say of the replica
        LOG.debug("proxy {} {}: the caller went away", request.getMethod(), target);
        finish(callerGone);
        return;
      }
      // The replica's whole answer came, though it may not have read the whole request (a replica
      // refusing a large upload early): the caller gets that answer.
      if (result.isSucceeded() || answered && result.getResponseFailure() == null) {
        response.write(
            true,
            BufferUtil.EMPTY_BUFFER,
            Callback.from(() -> finish(null), failure -> finish(failure)));
        return;
      }
      Throwable failure = result.getFailure();
      if (answered || response.isCommitted()) {
        // The caller went away (a write failed and aborted the replica's answer) or the replica
        // did mid-answer: the connection to the caller is cut, as the answer cannot be completed.
        LOG.debug("proxy {} {}: {}", request.getMethod(), target, failure.toString());
        finish(failure);
        return;
      }
      if (callerBody != null && callerBody.failure() != null) {
        // the caller's upload broke off: nothing to say of the replica
        LOG.debug(
            "proxy {} {}: the request body broke off: {}",
            request.getMethod(),
            target,
            callerBody.failure().toString());
        fail(
            new BosunException(
                ErrorCode.INVALID_REQUEST,
                "the request body broke off before its end; send it again"));
        return;
      }
      if (failure instanceof TimeoutException) {
        // alive, perhaps, but silent too long: it stays in rotation
        fail(
            new BosunException(
                ErrorCode.REPLICA_TIMEOUT,
                "replica "
                    + replica.num
                    + " of service "
                    + route.run().name()
                    + " was silent for "
                    + dev.bosun.model.config.DurationGrammar.format(silence)
                    + " (the server's --replica-timeout)"));
        return;
      }
      boolean refused = failure instanceof ConnectException;
      String why = refused ? "refused the connection" : "did not answer (" + message(failure) + ")";
      boolean retryable = !streamed && (refused || IDEMPOTENT.contains(request.getMethod()));
      proxy.replicas.unreachable(replica, why);
      LOG.info(
          "service {}: replica {} failed a request ({}: {}){}",
          route.key(),
          replica.num,
          why,
          failure.toString(),
          retryable && attempt < ServiceProxy.MAX_ATTEMPTS ? "; trying another" : "");
      if (retryable && attempt < ServiceProxy.MAX_ATTEMPTS) {
        try {
          next();
        } catch (RuntimeException e) {
          failInternally(e);
        }
        return;
      }
      fail(
          new BosunException(
              ErrorCode.AGENT_UNAVAILABLE,
              "replica " + replica.num + " of service " + route.run().name() + " " + why));
    }

    /** Answers with the error (the request never reached a replica that answered). */
    private void fail(BosunException error) {
      ProxyHandler.writeError(
          response, Callback.from(() -> finish(null), failure -> finish(failure)), error);
    }

    private void finish(Throwable failure) {
      if (done.compareAndSet(false, true)) {
        proxy.replicas.requestDone(route.runId());
        if (failure == null) {
          callback.succeeded();
        } else {
          callback.failed(failure);
        }
      }
    }
  }

  /** What went wrong with a replica, in a few words (the details are for the log). */
  private static String message(Throwable failure) {
    if (failure instanceof java.io.EOFException
        || failure instanceof java.nio.channels.ClosedChannelException) {
      return "it closed the connection";
    }
    return failure.getClass().getSimpleName();
  }

  /** Whether an Authorization header carries a Bosun token ({@code Bearer bsn_…}). */
  static boolean isBosunToken(String value) {
    if (value == null || !value.regionMatches(true, 0, "Bearer", 0, 6)) {
      return false;
    }
    return value.substring(6).strip().startsWith("bsn_");
  }

  @Override
  public void close() {
    waiting.shutdownNow();
    try {
      client.stop();
    } catch (Exception e) {
      LOG.debug("stopping the proxy's client: {}", e.toString());
    }
  }
}
