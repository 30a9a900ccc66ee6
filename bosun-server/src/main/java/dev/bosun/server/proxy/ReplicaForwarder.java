package dev.bosun.server.proxy;

import dev.bosun.model.error.BosunException;
import dev.bosun.model.error.ErrorCode;
import dev.bosun.server.runs.RunSpec;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes one request to one replica and its answer back (for {@link ServiceProxy}): hop-by-hop
 * headers and the caller's token dropped, {@code X-Forwarded-*} added, bodies up to {@link
 * #BUFFERED_BODY} read first and sent with their length (larger or chunked ones piped), the
 * response streamed and flushed whenever the replica pauses. A replica that fails before answering
 * is a {@link ReplicaFailed}, which says whether the request may go to another one.
 */
final class ReplicaForwarder {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaForwarder.class);

  /** Headers of one connection only (RFC 9110 7.6.1), and those the JDK client sets itself. */
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

  /** Request bodies up to this size are read before they are passed on; larger ones stream. */
  static final long BUFFERED_BODY = 64L << 20;

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .executor(Executors.newVirtualThreadPerTaskExecutor())
          .build();

  /** Methods that may be sent again after a replica failed while answering (RFC 9110 9.2.2). */
  private static final Set<String> IDEMPOTENT =
      Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE");

  /**
   * The replica failed the request before answering: {@code retryable} when the request may go to
   * another one (nothing reached this one, or the method is idempotent and the body was buffered).
   */
  static final class ReplicaFailed extends Exception {
    final boolean retryable;

    ReplicaFailed(String why, boolean retryable) {
      super(why, null, false, false);
      this.retryable = retryable;
    }
  }

  /** Whether an Authorization header carries a Bosun token ({@code Bearer bsn_…}). */
  private static boolean isBosunToken(java.util.Enumeration<String> values) {
    for (String value : java.util.Collections.list(values)) {
      if (value.regionMatches(true, 0, "Bearer bsn_", 0, 11)) {
        return true;
      }
    }
    return false;
  }

  /** The request's body, read once (a request that is sent again reuses it). */
  static byte[] bufferedBody(Context ctx) throws IOException {
    return bufferedBody(ctx, BUFFERED_BODY);
  }

  /** The request's body, read once, refused (400) when longer than {@code limit} bytes. */
  static byte[] bufferedBody(Context ctx, long limit) throws IOException {
    byte[] body = ctx.attribute(BODY);
    if (body == null) {
      long length = ctx.req().getContentLengthLong();
      byte[] read =
          ctx.req().getInputStream().readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
      if (length > limit || read.length > limit) {
        throw new BosunException(
            ErrorCode.INVALID_REQUEST,
            "the request body is larger than " + (limit >> 20) + " MiB; send a smaller one");
      }
      body = read;
      ctx.attribute(BODY, body);
    }
    return body;
  }

  private static final String BODY = "bosun.proxy.body";

  void forward(
      Context ctx,
      RunSpec spec,
      String runName,
      InetSocketAddress replica,
      String target,
      String prefix)
      throws IOException, InterruptedException, ReplicaFailed {
    URI uri = URI.create("http://" + replica.getHostString() + ":" + replica.getPort() + target);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri);
    for (String name : ctx.headerMap().keySet()) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (NOT_PASSED.contains(lower)
          || lower.equals("authorization")
              && (spec.service().auth() || isBosunToken(ctx.req().getHeaders(name)))) {
        continue; // a Bosun token never reaches a replica
      }
      for (String value : java.util.Collections.list(ctx.req().getHeaders(name))) {
        request.header(name, value);
      }
    }
    String forwardedFor = ctx.header("X-Forwarded-For");
    request.header(
        "X-Forwarded-For",
        (forwardedFor == null ? "" : forwardedFor + ", ") + ctx.req().getRemoteAddr());
    request.header("X-Forwarded-Host", String.valueOf(ctx.host()));
    request.header("X-Forwarded-Proto", ctx.scheme());
    if (spec.service().stripPrefix() && !prefix.isEmpty()) {
      request.header("X-Forwarded-Prefix", prefix);
    }
    long length = ctx.req().getContentLengthLong();
    byte[] read = ctx.attribute(BODY); // read already (the model endpoint reads it for its model)
    boolean hasBody = read != null || length > 0 || ctx.header("Transfer-Encoding") != null;
    boolean streamed = read == null && hasBody && (length <= 0 || length > BUFFERED_BODY);
    java.io.PipedInputStream pipe = streamed ? new java.io.PipedInputStream(64 * 1024) : null;
    request.method(
        ctx.method().name(),
        !hasBody
            ? HttpRequest.BodyPublishers.noBody()
            : streamed
                ? HttpRequest.BodyPublishers.ofInputStream(() -> pipe)
                // read here, sent with its Content-Length: not every server reads chunked requests
                : HttpRequest.BodyPublishers.ofByteArray(bufferedBody(ctx)));
    HttpResponse<InputStream> response;
    try {
      java.util.concurrent.CompletableFuture<HttpResponse<InputStream>> sent =
          http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      if (streamed) {
        // The servlet's input is read on the request's own thread and piped to the client; a
        // request that fails (the replica refused it) closes the pipe so that this ends too.
        sent.whenComplete(
            (answer, failure) -> {
              if (failure != null) {
                try {
                  pipe.close();
                } catch (IOException ignored) {
                  // closing a pipe does not fail
                }
              }
            });
        try (java.io.PipedOutputStream out = new java.io.PipedOutputStream(pipe)) {
          ctx.req().getInputStream().transferTo(out);
        } catch (IOException e) {
          if (!sent.isCompletedExceptionally()) {
            sent.cancel(true);
            throw e;
          }
          // the request failed: join below says why
        }
      }
      response = join(sent);
    } catch (ConnectException e) {
      // nothing reached the replica: unless its body was streamed, the request may go elsewhere
      throw new ReplicaFailed("refused the connection", !streamed);
    } catch (IOException e) {
      throw new ReplicaFailed(
          "did not answer: "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
          !streamed && IDEMPOTENT.contains(ctx.method().name()));
    }
    ctx.status(response.statusCode());
    response
        .headers()
        .map()
        .forEach(
            (name, values) -> {
              if (!NOT_PASSED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                // set, then add: the replica's Content-Type replaces Javalin's default
                for (int i = 0; i < values.size(); i++) {
                  if (i == 0) {
                    ctx.res().setHeader(name, values.get(i));
                  } else {
                    ctx.res().addHeader(name, values.get(i));
                  }
                }
              }
            });
    response
        .headers()
        .firstValue("content-length")
        .ifPresent(value -> ctx.res().setHeader("Content-Length", value));
    try (InputStream body = response.body()) {
      OutputStream out = ctx.res().getOutputStream();
      byte[] buffer = new byte[16 * 1024];
      int n;
      while ((n = body.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        if (body.available() == 0) {
          out.flush(); // streamed responses (server-sent events) reach the client as they come
        }
      }
      out.flush();
    } catch (IOException e) {
      // The client went away, or the replica did: the replica's response is abandoned (closing
      // the body cancels it).
      LOG.debug("proxy {} {}: {}", ctx.method(), ctx.path(), e.toString());
    }
  }

  private static <T> T join(java.util.concurrent.CompletableFuture<T> future)
      throws IOException, InterruptedException {
    try {
      return future.get();
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause());
    }
  }
}
