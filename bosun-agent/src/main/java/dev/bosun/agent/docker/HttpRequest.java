package dev.bosun.agent.docker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP/1.1 request to Docker's socket: a method, a request target (path and query, already
 * encoded), extra headers, an optional body (bytes or a file) and a deadline for the whole exchange
 * ({@code null}: none, for calls that block until a container ends).
 */
record HttpRequest(
    String method,
    String target,
    Map<String, String> headers,
    String contentType,
    byte[] body,
    Path bodyFile,
    Duration timeout) {

  HttpRequest {
    headers = Map.copyOf(headers);
  }

  static HttpRequest of(String method, String target, Duration timeout) {
    return new HttpRequest(method, target, Map.of(), null, null, null, timeout);
  }

  HttpRequest withJson(byte[] json) {
    return new HttpRequest(method, target, headers, "application/json", json, null, timeout);
  }

  HttpRequest withBody(byte[] bytes, String type) {
    return new HttpRequest(method, target, headers, type, bytes, null, timeout);
  }

  HttpRequest withFile(Path file, String type) {
    return new HttpRequest(method, target, headers, type, null, file, timeout);
  }

  HttpRequest withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new HttpRequest(method, target, more, contentType, body, bodyFile, timeout);
  }

  boolean hasBody() {
    return body != null || bodyFile != null;
  }

  /** The target without its query, for messages and logs (queries may hold filters or names). */
  String path() {
    int query = target.indexOf('?');
    return query < 0 ? target : target.substring(0, query);
  }
}
