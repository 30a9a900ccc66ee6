package dev.bosun.model.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A readiness probe of a service's replicas, as dstack's {@code probes}: an HTTP request to each
 * replica every {@code interval}; a replica receives traffic once {@code ready_after} requests in a
 * row have answered with a 2xx status within {@code timeout}.
 *
 * @param type {@link #HTTP}, the only kind of probe
 * @param url the path and query of the request, starting with {@code /}; {@code /} when null
 * @param method one of {@link #METHODS}; {@code get} when null
 * @param headers headers of the request, in file order; empty for none
 * @param body the request body, or null for none; not with {@code get} or {@code head}
 * @param timeout how long to wait for an answer; {@link #DEFAULT_TIMEOUT} when null, at least 1s
 * @param interval how long between requests; {@link #DEFAULT_INTERVAL} when null, at least 1s
 * @param readyAfter how many successes in a row make the replica ready, 1 or more
 */
public record ProbeSpec(
    String type,
    String url,
    String method,
    List<Header> headers,
    String body,
    Duration timeout,
    Duration interval,
    int readyAfter) {
  /** An HTTP request. */
  public static final String HTTP = "http";

  /** The values {@code type} may take. */
  public static final List<String> TYPES = List.of(HTTP);

  /** The values {@code method} may take, as dstack writes them. */
  public static final List<String> METHODS =
      List.of("get", "post", "put", "patch", "delete", "head");

  public static final String DEFAULT_URL = "/";
  public static final String DEFAULT_METHOD = "get";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(15);
  public static final int DEFAULT_READY_AFTER = 1;

  /**
   * One header of a probe's request.
   *
   * @param name an HTTP header name (a token: letters, digits and {@code !#$%&'*+-.^_`|~})
   * @param value its value, without line breaks
   */
  public record Header(String name, String value) {
    public Header {
      ServiceFieldRules.headerName(Objects.requireNonNull(name, "name is null"));
      ServiceFieldRules.headerValue(name, Objects.requireNonNull(value, "value is null"));
    }
  }

  public ProbeSpec {
    ServiceFieldRules.probeType(Objects.requireNonNull(type, "type is null"));
    url = url == null ? DEFAULT_URL : ServiceFieldRules.path("url", url);
    method = method == null ? DEFAULT_METHOD : ServiceFieldRules.method(method);
    headers = RunFieldRules.listOf(headers, Objects::requireNonNull);
    if (body != null) {
      ServiceFieldRules.body(method);
    }
    timeout =
        timeout == null ? DEFAULT_TIMEOUT : ServiceFieldRules.atLeastASecond("timeout", timeout);
    interval =
        interval == null
            ? DEFAULT_INTERVAL
            : ServiceFieldRules.atLeastASecond("interval", interval);
    ServiceFieldRules.readyAfter(readyAfter);
  }

  /** A GET of {@code url} with every other field at its default. */
  public static ProbeSpec http(String url) {
    return new ProbeSpec(HTTP, url, null, null, null, null, null, DEFAULT_READY_AFTER);
  }
}
