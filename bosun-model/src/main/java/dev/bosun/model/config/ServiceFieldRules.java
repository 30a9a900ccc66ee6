package dev.bosun.model.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules for the fields of services, in one place: the records enforce them in their
 * constructors and {@link ServiceBinder} calls them to put the same message at the right line. Each
 * throws {@link IllegalArgumentException} with a message for the user.
 */
final class ServiceFieldRules {
  /** The most probes a service may have. */
  static final int MAX_PROBES = 10;

  static final int MAX_PATH = 2048;
  static final int MAX_MODEL_NAME = 256;

  /** RFC 9110's token: what an HTTP header name is made of. */
  static final String HEADER_NAME_PATTERN = "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$";

  /** A path as the proxy matches it: a '/' and then no spaces. */
  static final String PATH_PATTERN = "^/\\S*$";

  static final String MODEL_NAME_PATTERN = "^\\S+$";

  /** dstack's {@code port}: one port, or {@code 80:8000} whose second port is the replicas'. */
  static final String SERVICE_PORT_PATTERN = "^\\s*(\\d+\\s*:\\s*)?\\d+\\s*$";

  static final String PORT_FORM = "a port from 1 to 65535 that the replicas listen on, e.g. 8000";

  private static final Pattern HEADER_NAME = Pattern.compile(HEADER_NAME_PATTERN);
  private static final Pattern SERVICE_PORT = Pattern.compile("(?:(\\d+)\\s*:\\s*)?(\\d+)");
  private static final Pattern NUMBER =
      Pattern.compile("\\s*(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?\\s*");

  private ServiceFieldRules() {}

  /**
   * A service's {@code port} as written: {@code 8000}, or dstack's {@code 80:8000}, whose first
   * port is kept as {@code publicPort}.
   */
  record ServicePort(Integer publicPort, int port) {}

  static ServicePort servicePort(String text) {
    Matcher matcher = SERVICE_PORT.matcher(text.strip());
    if (!matcher.matches()) {
      String hint =
          text.strip().startsWith("*:")
              ? "': a service is reached through the server's proxy, so it has no local port to"
                  + " choose; expected "
              : "': expected ";
      throw new IllegalArgumentException(
          "invalid port '" + text + hint + PORT_FORM + " (or dstack's \"80:8000\")");
    }
    Integer publicPort = matcher.group(1) == null ? null : port(matcher.group(1), text);
    return new ServicePort(publicPort, port(matcher.group(2), text));
  }

  private static int port(String digits, String text) {
    try {
      return port(Integer.parseInt(digits));
    } catch (IllegalArgumentException e) {
      // NumberFormatException (too many digits) included: either way the number is out of range.
      throw new IllegalArgumentException(
          "invalid port '" + text + "': ports go from 1 to 65535", e);
    }
  }

  static int port(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("invalid port " + port + ": ports go from 1 to 65535");
    }
    return port;
  }

  /**
   * {@code replicas} and {@code scaling} agree: a range needs scaling to move within it, and
   * scaling needs a range.
   *
   * @param replicasGiven whether the file gives {@code replicas}, for the message
   */
  static void scaling(ReplicaRange replicas, boolean replicasGiven, ScalingSpec scaling) {
    if (!replicas.isFixed() && scaling == null) {
      throw new IllegalArgumentException(rangeNeedsScaling(replicas));
    }
    if (replicas.isFixed() && scaling != null) {
      throw new IllegalArgumentException(scalingNeedsRange(replicas, replicasGiven));
    }
  }

  static String rangeNeedsScaling(ReplicaRange replicas) {
    return "replicas: "
        + replicas
        + " is a range, so the service needs scaling to decide how many run, e.g. scaling:"
        + " {metric: rps, target: 10}";
  }

  static String scalingNeedsRange(ReplicaRange replicas, boolean replicasGiven) {
    return "scaling decides how many replicas run within a range, but replicas is fixed at "
        + replicas.max()
        + (replicasGiven ? "" : " (the default)")
        + "; give a range such as replicas: "
        + (replicas.max() > 1 ? "1.." + replicas.max() : "1..4")
        + ", or leave scaling out";
  }

  static String metric(String metric) {
    return oneOf("metric", metric, ScalingSpec.METRICS, "");
  }

  static String probeType(String type) {
    return oneOf("probe type", type, ProbeSpec.TYPES, "");
  }

  static String method(String method) {
    return oneOf("method", method, ProbeSpec.METHODS, "");
  }

  static String keyType(String type) {
    return oneOf("key type", type, RateLimitSpec.Key.TYPES, "");
  }

  static String modelType(String type) {
    return oneOf("model type", type, ModelSpec.TYPES, "");
  }

  static String modelFormat(String format) {
    return oneOf(
        "model format",
        format,
        ModelSpec.FORMATS,
        " (Bosun's proxy speaks the OpenAI API; dstack's tgi format is not supported)");
  }

  /**
   * One of {@code allowed}, in any case, as the lower-case name; else the allowed values with the
   * closest spelling.
   */
  private static String oneOf(String what, String value, List<String> allowed, String note) {
    String wanted = value.strip().toLowerCase(Locale.ROOT);
    if (allowed.contains(wanted)) {
      return wanted;
    }
    String suggestion =
        MappingReader.closest(wanted, allowed)
            .map(name -> "; did you mean '" + name + "'? Supported")
            .orElse("; supported");
    throw new IllegalArgumentException(
        "unknown "
            + what
            + " '"
            + value
            + "'"
            + suggestion
            + ": "
            + String.join(", ", allowed)
            + note);
  }

  /** A number as written in a file, more than 0: {@code 10}, {@code 0.5}, {@code 1e3}. */
  static double parsePositive(String field, String text, String example) {
    String form = "expected a number above 0, e.g. " + example;
    if (!NUMBER.matcher(text).matches()) {
      throw new IllegalArgumentException("invalid " + field + " '" + text + "': " + form);
    }
    double value;
    try {
      value = new BigDecimal(text.strip()).doubleValue();
    } catch (NumberFormatException e) {
      // an exponent beyond what BigDecimal holds: far too large (or small) either way
      throw new IllegalArgumentException("invalid " + field + " '" + text + "': " + form, e);
    }
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("invalid " + field + " '" + text + "': " + form);
    }
    return value;
  }

  static double positive(String field, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(
          "invalid " + field + " " + value + ": expected a number above 0");
    }
    return value;
  }

  static Duration window(Duration window) {
    if (window.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(
          "invalid window "
              + DurationGrammar.format(window)
              + ": requests are averaged over at least 1s, e.g. window: 60s");
    }
    return window;
  }

  static Duration atLeastASecond(String field, Duration duration) {
    if (duration.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(
          "invalid " + field + " " + DurationGrammar.format(duration) + ": expected at least 1s");
    }
    return duration;
  }

  static Duration notNegative(String field, Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("invalid " + field + ": it must not be negative");
    }
    return duration;
  }

  /** A path of the service, such as a probe's {@code url} or a rate limit's {@code prefix}. */
  static String path(String field, String path) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException(
          "invalid " + field + " '" + path + "': a path starts with '/', e.g. /" + path.strip());
    }
    if (path.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      throw new IllegalArgumentException(
          "invalid " + field + " '" + path + "': a path has no spaces; write a space as %20");
    }
    if (path.length() > MAX_PATH) {
      throw new IllegalArgumentException(
          "invalid " + field + ": a path is at most " + MAX_PATH + " characters");
    }
    return path;
  }

  static String modelName(String name) {
    if (name.isBlank()) {
      throw new IllegalArgumentException(
          "the model name must not be blank, e.g. model: meta-llama/Meta-Llama-3.1-8B-Instruct");
    }
    if (name.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      throw new IllegalArgumentException(
          "invalid model name '"
              + name
              + "': a model name has no spaces, e.g. meta-llama/Meta-Llama-3.1-8B-Instruct");
    }
    if (name.length() > MAX_MODEL_NAME) {
      throw new IllegalArgumentException(
          "invalid model name: a model name is at most " + MAX_MODEL_NAME + " characters");
    }
    return name;
  }

  static String headerName(String name) {
    if (!HEADER_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid header name '"
              + name
              + "': a header name is letters, digits and !#$%&'*+-.^_`|~, e.g. X-Api-Key");
    }
    return name;
  }

  static String headerValue(String name, String value) {
    if (value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
      throw new IllegalArgumentException(
          "the value of header " + name + " must not hold a line break");
    }
    return value;
  }

  /** A probe with a body uses a method that sends one. */
  static void body(String method) {
    if (method.equals("get") || method.equals("head")) {
      throw new IllegalArgumentException(
          "a "
              + method
              + " request has no body; give method: post (or put, patch or delete) to send one,"
              + " or leave body out");
    }
  }

  static int readyAfter(int readyAfter) {
    if (readyAfter < 1) {
      throw new IllegalArgumentException(
          "invalid ready_after "
              + readyAfter
              + ": a replica is ready after at least 1 successful probe");
    }
    return readyAfter;
  }

  static int burst(int burst) {
    if (burst < 0) {
      throw new IllegalArgumentException(
          "invalid burst " + burst + ": expected a whole number from 0 (no burst)");
    }
    return burst;
  }

  static void probeCount(int count) {
    if (count > MAX_PROBES) {
      throw new IllegalArgumentException(tooManyProbes(count));
    }
  }

  static String tooManyProbes(int count) {
    return "a service has at most "
        + MAX_PROBES
        + " probes, found "
        + count
        + "; one probe of a health endpoint is usually enough";
  }

  /** No two rate limits have the same prefix and key. */
  static void rateLimits(List<RateLimitSpec> limits) {
    for (int i = 0; i < limits.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (limits.get(i).sameScope(limits.get(j))) {
          throw new IllegalArgumentException(
              duplicateRateLimit(limits.get(i), "rate_limits[" + j + "]"));
        }
      }
    }
  }

  static String duplicateRateLimit(RateLimitSpec limit, String first) {
    return "this rate limit has the same prefix "
        + limit.prefix()
        + " and key ("
        + limit.key()
        + ") as "
        + first
        + "; give each prefix and key one limit";
  }
}
