package dev.bosun.agent.docker;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Docker's answer to one {@link HttpRequest}: the status, the headers (names in lower case) and the
 * body as a stream, which reads the connection as data arrives. Closing it closes the connection
 * (one connection per request) and cancels the request's deadline.
 */
final class HttpResponse implements Closeable {
  /** More than this in a non-streamed answer is not something Docker sends. */
  static final int MAX_BODY = 64 * 1024 * 1024;

  private final HttpRequest request;
  private final String endpoint;
  private final int status;
  private final Map<String, String> headers;
  private final InputStream body;
  private final Closeable connection;
  private final Future<?> deadline;
  private final AtomicBoolean timedOut;

  HttpResponse(
      HttpRequest request,
      String endpoint,
      int status,
      Map<String, String> headers,
      InputStream body,
      Closeable connection,
      Future<?> deadline,
      AtomicBoolean timedOut) {
    this.request = request;
    this.endpoint = endpoint;
    this.status = status;
    this.headers = Map.copyOf(headers);
    this.body = body;
    this.connection = connection;
    this.deadline = deadline;
    this.timedOut = timedOut;
  }

  int status() {
    return status;
  }

  boolean isSuccess() {
    return status >= 200 && status < 300;
  }

  /** A header's value, or null; {@code name} in lower case. */
  String header(String name) {
    return headers.get(name);
  }

  /**
   * The body as it arrives; read failures are best turned into a {@link DockerException} by {@link
   * #failure}.
   */
  InputStream body() {
    return body;
  }

  /** The whole body, up to {@link #MAX_BODY}. */
  byte[] bytes() {
    try {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      byte[] buffer = new byte[16 * 1024];
      int n;
      while ((n = body.read(buffer)) >= 0) {
        if (all.size() + n > MAX_BODY) {
          throw new DockerException(
              DockerException.Kind.PROTOCOL,
              0,
              "Docker's answer to "
                  + request.method()
                  + " "
                  + request.path()
                  + " is larger than "
                  + MAX_BODY
                  + " bytes");
        }
        all.write(buffer, 0, n);
      }
      return all.toByteArray();
    } catch (IOException e) {
      throw failure(e);
    }
  }

  String text() {
    return new String(bytes(), StandardCharsets.UTF_8);
  }

  /**
   * What an I/O error while reading this answer means: the deadline passed (the watchdog closed the
   * connection), the thread was interrupted, or the connection broke.
   */
  DockerException failure(IOException e) {
    String call = request.method() + " " + request.path();
    if (timedOut.get()) {
      return new DockerException(
          DockerException.Kind.TIMEOUT,
          0,
          "Docker at "
              + endpoint
              + " did not answer "
              + call
              + " within "
              + describe(request.timeout()));
    }
    if (e instanceof ClosedByInterruptException || Thread.currentThread().isInterrupted()) {
      Thread.currentThread().interrupt();
      return new DockerException(
          DockerException.Kind.INTERRUPTED,
          0,
          "interrupted while waiting for Docker's answer to " + call);
    }
    return new DockerException(
        DockerException.Kind.PROTOCOL,
        0,
        "the connection to Docker at "
            + endpoint
            + " broke during "
            + call
            + ": "
            + e.getMessage());
  }

  @Override
  public void close() {
    deadline.cancel(false);
    try {
      connection.close();
    } catch (IOException e) {
      // closing a socket that is already gone; nothing to do
    }
  }

  static String describe(Duration timeout) {
    if (timeout == null) {
      return "no time limit";
    }
    long millis = timeout.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }
}
