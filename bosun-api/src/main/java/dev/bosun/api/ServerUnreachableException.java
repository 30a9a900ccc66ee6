package dev.bosun.api;

import java.net.URI;

/** No answer from the server at all (refused, timed out, reset). */
public final class ServerUnreachableException extends RuntimeException {
  private final URI server;

  public ServerUnreachableException(URI server, Throwable cause) {
    super("cannot reach the Bosun server at " + server + ": " + describe(cause), cause);
    this.server = server;
  }

  public URI server() {
    return server;
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    if (cause instanceof java.net.ConnectException) {
      return "connection refused";
    }
    if (cause instanceof java.net.http.HttpTimeoutException) {
      return "timed out";
    }
    return message == null ? cause.getClass().getSimpleName() : message;
  }
}
