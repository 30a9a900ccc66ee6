package dev.bosun.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bosun.api.Json;
import dev.bosun.api.agent.AgentError;
import dev.bosun.api.agent.AgentInfo;
import dev.bosun.api.agent.AgentProtocol;
import dev.bosun.api.agent.JobSpec;
import dev.bosun.api.agent.StopRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's HTTP API ({@link AgentProtocol}) on the JDK's HTTP server, one virtual thread per
 * exchange so that long polls cost no platform thread. Every request needs the bearer token; errors
 * answer with an {@link AgentError} body.
 */
final class AgentHttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AgentHttpServer.class);
  private static final Duration MAX_WAIT = Duration.ofSeconds(60);
  private static final int DEFAULT_LOG_LIMIT = 1 << 20;
  private static final int MAX_LOG_LIMIT = 16 << 20;
  private static final int MAX_BODY = 8 << 20;

  private final HttpServer server;
  private final ExecutorService executor;
  private final byte[] expectedAuthorization;
  private final JobService jobs;
  private final java.util.function.Supplier<AgentInfo> info;
  private final dev.bosun.agent.ssh.JobKeys keys;
  private final ObjectMapper json = Json.mapper();

  private AgentHttpServer(
      HttpServer server,
      ExecutorService executor,
      String token,
      JobService jobs,
      dev.bosun.agent.ssh.JobKeys keys,
      java.util.function.Supplier<AgentInfo> info) {
    this.server = server;
    this.keys = keys;
    this.executor = executor;
    this.expectedAuthorization = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    this.jobs = jobs;
    this.info = info;
  }

  /**
   * @param info what {@code GET /info} answers, asked at each call (Docker may come and go)
   */
  static AgentHttpServer start(
      String host,
      int port,
      String token,
      JobService jobs,
      dev.bosun.agent.ssh.JobKeys keys,
      java.util.function.Supplier<AgentInfo> info)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 128);
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    AgentHttpServer api = new AgentHttpServer(server, executor, token, jobs, keys, info);
    server.setExecutor(executor);
    server.createContext("/", api::handle);
    server.start();
    return api;
  }

  int port() {
    return server.getAddress().getPort();
  }

  URI baseUri() {
    String host = server.getAddress().getAddress().getHostAddress();
    return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      try {
        authorize(exchange);
        route(exchange);
      } catch (ApiException e) {
        respond(exchange, e.status(), e.error());
      } catch (JsonProcessingException e) {
        respond(
            exchange,
            400,
            ApiException.badRequest("malformed request body: " + e.getOriginalMessage()).error());
      } catch (InterruptedException e) {
        respond(exchange, 503, ApiException.unavailable("the agent is shutting down").error());
      } catch (IOException e) {
        LOG.debug("{} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
      } catch (RuntimeException e) {
        LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
        respond(
            exchange, 500, new AgentError("internal agent error: " + e.getMessage(), "internal"));
      }
    } catch (IOException e) {
      LOG.debug(
          "cannot answer {} {}: {}",
          exchange.getRequestMethod(),
          exchange.getRequestURI(),
          e.toString());
    }
  }

  private void authorize(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null) {
      throw ApiException.unauthorized("missing Authorization: Bearer <agent token>");
    }
    if (!MessageDigest.isEqual(expectedAuthorization, header.getBytes(StandardCharsets.UTF_8))) {
      throw ApiException.unauthorized("wrong agent token");
    }
  }

  private void route(HttpExchange exchange) throws IOException, InterruptedException {
    String path = exchange.getRequestURI().getRawPath();
    String method = exchange.getRequestMethod();
    if (!path.startsWith(AgentProtocol.PREFIX + "/")) {
      throw ApiException.notFound("no such endpoint: " + path);
    }
    String[] segments = path.substring(AgentProtocol.PREFIX.length() + 1).split("/", -1);
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    switch (segments.length) {
      case 1 -> {
        if (segments[0].equals("info")) {
          requireMethod(method, "GET");
          respond(exchange, 200, info.get());
          return;
        }
        if (segments[0].equals("jobs")) {
          if (method.equals("POST")) {
            respond(exchange, 200, jobs.submit(json.readValue(body(exchange), JobSpec.class)));
          } else {
            requireMethod(method, "GET");
            long after = longParameter(query, "after", 0);
            respond(exchange, 200, jobs.changes(after, waitParameter(query)));
          }
          return;
        }
      }
      case 2 -> {
        if (segments[0].equals("jobs")) {
          requireMethod(method, "DELETE");
          jobs.delete(decode(segments[1]));
          exchange.sendResponseHeaders(204, -1);
          return;
        }
      }
      case 3 -> {
        if (segments[0].equals("jobs") && segments[2].equals("stop")) {
          requireMethod(method, "POST");
          byte[] body = body(exchange);
          StopRequest request =
              body.length == 0
                  ? new StopRequest(false, null)
                  : json.readValue(body, StopRequest.class);
          respond(exchange, 200, jobs.stop(decode(segments[1]), request));
          return;
        }
        if (segments[0].equals("jobs") && segments[2].equals("ssh-keys")) {
          requireMethod(method, "PUT");
          String jobId = decode(segments[1]);
          jobs.state(jobId); // 404 for an unknown job
          var body = json.readValue(body(exchange), dev.bosun.api.agent.AgentClient.SshKeys.class);
          try {
            keys.authorize(jobId, body.keys());
          } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
          }
          exchange.sendResponseHeaders(204, -1);
          return;
        }
        if (segments[0].equals("jobs") && segments[2].equals("logs")) {
          requireMethod(method, "GET");
          long offset = longParameter(query, "offset", 0);
          long limit = longParameter(query, "limit", DEFAULT_LOG_LIMIT);
          int cappedLimit = (int) Math.min(limit, MAX_LOG_LIMIT);
          respond(
              exchange,
              200,
              jobs.logs(decode(segments[1]), offset, waitParameter(query), cappedLimit));
          return;
        }
      }
      default -> {
        // falls through to not found
      }
    }
    throw ApiException.notFound("no such endpoint: " + method + " " + path);
  }

  private void respond(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static byte[] body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readNBytes(MAX_BODY + 1);
      if (bytes.length > MAX_BODY) {
        throw ApiException.badRequest("request body larger than " + MAX_BODY + " bytes");
      }
      return bytes;
    }
  }

  private static void requireMethod(String method, String expected) {
    if (!method.equals(expected)) {
      throw ApiException.methodNotAllowed(
          "method " + method + " not allowed here; use " + expected);
    }
  }

  private static Duration waitParameter(Map<String, String> query) {
    long waitMs = longParameter(query, "wait_ms", 0);
    return waitMs <= 0 ? Duration.ZERO : Duration.ofMillis(Math.min(waitMs, MAX_WAIT.toMillis()));
  }

  private static long longParameter(Map<String, String> query, String name, long defaultValue) {
    String value = query.get(name);
    if (value == null || value.isEmpty()) {
      return defaultValue;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + " must be a whole number, got " + value);
    }
  }

  private static Map<String, String> query(String rawQuery) {
    Map<String, String> parameters = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return parameters;
    }
    for (String pair : rawQuery.split("&")) {
      int equals = pair.indexOf('=');
      String name = decode(equals < 0 ? pair : pair.substring(0, equals));
      String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
      parameters.put(name, value);
    }
    return parameters;
  }

  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("malformed URL encoding: " + raw);
    }
  }
}
