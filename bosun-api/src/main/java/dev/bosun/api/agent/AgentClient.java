package dev.bosun.api.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bosun.api.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * A Java client of one host agent ({@link AgentProtocol}). Thread-safe; every method is one
 * blocking HTTP call.
 *
 * <p>Failures are typed: {@link AgentUnreachableException} when the agent cannot be reached or does
 * not answer in time, {@link AgentRequestException} when it answers with an error status. Long
 * polls time out after their wait plus {@value #LONG_POLL_MARGIN_SECONDS} s, other calls after
 * {@value #TIMEOUT_SECONDS} s.
 */
public final class AgentClient {
  static final int TIMEOUT_SECONDS = 10;
  static final int LONG_POLL_MARGIN_SECONDS = 10;

  private final URI baseUri;
  private final String authorization;
  private final HttpClient http;
  private final ObjectMapper json = Json.mapper();

  /**
   * @param baseUri the agent's address, e.g. {@code http://127.0.0.1:7071}
   * @param token the agent's bearer token
   * @param http the HTTP client to send with
   */
  public AgentClient(URI baseUri, String token, HttpClient http) {
    Objects.requireNonNull(baseUri, "baseUri is null");
    Objects.requireNonNull(token, "token is null");
    this.http = Objects.requireNonNull(http, "http is null");
    String base = baseUri.toString();
    this.baseUri = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
    this.authorization = "Bearer " + token;
  }

  /** {@code GET /v1/info}. */
  public AgentInfo info() {
    return send(get("/info", Duration.ofSeconds(TIMEOUT_SECONDS)), AgentInfo.class);
  }

  /** {@code POST /v1/jobs}: starts the job, or returns its state if the agent already has it. */
  public JobState submit(JobSpec spec) {
    Objects.requireNonNull(spec, "spec is null");
    return send(post("/jobs", spec), JobState.class);
  }

  /**
   * {@code GET /v1/jobs?after=V&wait_ms=N}: jobs changed after version {@code after}, waiting up to
   * {@code wait}.
   */
  public JobChanges changes(long after, Duration wait) {
    long waitMs = wait.toMillis();
    String path = "/jobs?after=" + after + "&wait_ms=" + waitMs;
    return send(get(path, wait.plusSeconds(LONG_POLL_MARGIN_SECONDS)), JobChanges.class);
  }

  /** {@code POST /v1/jobs/{id}/stop}. */
  public JobState stop(String jobId, StopRequest request) {
    Objects.requireNonNull(request, "request is null");
    return send(post("/jobs/" + segment(jobId) + "/stop", request), JobState.class);
  }

  /**
   * {@code GET /v1/jobs/{id}/logs}: whole log lines from byte {@code offset}, waiting up to {@code
   * wait} for some.
   */
  public LogChunk logs(String jobId, long offset, Duration wait, int limit) {
    String path =
        "/jobs/"
            + segment(jobId)
            + "/logs?offset="
            + offset
            + "&wait_ms="
            + wait.toMillis()
            + "&limit="
            + limit;
    return send(get(path, wait.plusSeconds(LONG_POLL_MARGIN_SECONDS)), LogChunk.class);
  }

  /** {@code DELETE /v1/jobs/{id}}: removes a finished job's record and logs. */
  public void delete(String jobId) {
    HttpRequest request =
        request("/jobs/" + segment(jobId), Duration.ofSeconds(TIMEOUT_SECONDS)).DELETE().build();
    send(request, Void.class);
  }

  /**
   * {@code PUT /v1/jobs/{id}/ssh-keys}: the OpenSSH public keys that may open SSH sessions into the
   * job, replacing those given before (an empty list refuses everyone, at once).
   */
  public void authorizeSshKeys(String jobId, java.util.List<String> keys) {
    byte[] bytes;
    try {
      bytes = json.writeValueAsBytes(new SshKeys(keys));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    HttpRequest request =
        request("/jobs/" + segment(jobId) + "/ssh-keys", Duration.ofSeconds(TIMEOUT_SECONDS))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
            .build();
    send(request, Void.class);
  }

  /** The body of {@link #authorizeSshKeys}. */
  public record SshKeys(java.util.List<String> keys) {
    public SshKeys {
      keys = keys == null ? java.util.List.of() : java.util.List.copyOf(keys);
    }
  }

  private HttpRequest get(String path, Duration timeout) {
    return request(path, timeout).GET().build();
  }

  private HttpRequest post(String path, Object body) {
    byte[] bytes;
    try {
      bytes = json.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot encode " + body.getClass().getSimpleName() + " as JSON", e);
    }
    return request(path, Duration.ofSeconds(TIMEOUT_SECONDS))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
        .build();
  }

  private HttpRequest.Builder request(String path, Duration timeout) {
    return HttpRequest.newBuilder(URI.create(baseUri + AgentProtocol.PREFIX + path))
        .version(HttpClient.Version.HTTP_1_1)
        .timeout(timeout)
        .header("Authorization", authorization)
        .header("Accept", "application/json");
  }

  private <T> T send(HttpRequest request, Class<T> type) {
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new AgentUnreachableException(
          "agent at "
              + baseUri
              + " unreachable: "
              + request.method()
              + " "
              + request.uri().getPath()
              + ": "
              + e,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AgentUnreachableException("interrupted while calling the agent at " + baseUri, e);
    }
    if (response.statusCode() >= 400) {
      throw error(response);
    }
    if (type == Void.class) {
      return null;
    }
    try {
      return json.readValue(response.body(), type);
    } catch (IOException e) {
      throw new AgentRequestException(
          response.statusCode(),
          "bad_response",
          "the agent's answer is not a valid " + type.getSimpleName() + ": " + e);
    }
  }

  private AgentRequestException error(HttpResponse<byte[]> response) {
    int status = response.statusCode();
    try {
      AgentError error = json.readValue(response.body(), AgentError.class);
      return new AgentRequestException(status, error.code(), error.error());
    } catch (IOException | RuntimeException e) {
      String body = new String(response.body(), StandardCharsets.UTF_8).strip();
      return new AgentRequestException(
          status, "http_" + status, body.isEmpty() ? "HTTP " + status : body);
    }
  }

  private static String segment(String jobId) {
    Objects.requireNonNull(jobId, "jobId is null");
    return URLEncoder.encode(jobId, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
