package dev.bosun.agent.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of the Docker Engine API (version {@value #API_VERSION}, which Docker 20.10 and newer
 * serve) over the daemon's unix socket, with one connection per call. It never runs the {@code
 * docker} CLI.
 *
 * <p>Every call either succeeds or throws a {@link DockerException} carrying Docker's message.
 * Calls that finish quickly have the client's timeout; {@link #waitContainer} and following {@link
 * #logs} block until the container ends, and end early with {@link
 * DockerException.Kind#INTERRUPTED} when their thread is interrupted. Terminating is idempotent
 * where the caller cannot know the state: stopping a stopped container, killing an ended one and
 * removing a removed one succeed. Instances are thread-safe.
 */
public final class DockerClient {
  /** The Engine API version every call is pinned to. */
  public static final String API_VERSION = "1.41";

  /** Where dockerd listens unless told otherwise. */
  public static final Path DEFAULT_SOCKET = Path.of("/var/run/docker.sock");

  /** The deadline of calls that do not wait for a container or a download. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private static final Logger LOG = LoggerFactory.getLogger(DockerClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:/@+-]*");

  private final UnixHttpClient http;
  private final Duration timeout;

  /** A client of the daemon listening on {@code socket}, with {@link #DEFAULT_TIMEOUT}. */
  public DockerClient(Path socket) {
    this(socket, DEFAULT_TIMEOUT);
  }

  /** A client of the daemon listening on {@code socket}, with {@code timeout} for quick calls. */
  public DockerClient(Path socket, Duration timeout) {
    this.http = new UnixHttpClient(socket);
    this.timeout = timeout;
  }

  /** The daemon that {@code DOCKER_HOST} names, or the one at {@link #DEFAULT_SOCKET}. */
  public static DockerClient fromEnvironment() {
    return new DockerClient(socket(System.getenv("DOCKER_HOST")));
  }

  /**
   * The daemon that {@code dockerHost} (a {@code DOCKER_HOST} value) names, connected on first use;
   * a bad value is reported then, not here.
   */
  public static java.util.function.Supplier<DockerClient> lazy(String dockerHost) {
    java.util.concurrent.atomic.AtomicReference<DockerClient> client =
        new java.util.concurrent.atomic.AtomicReference<>();
    return () ->
        client.updateAndGet(known -> known != null ? known : new DockerClient(socket(dockerHost)));
  }

  /**
   * The socket a {@code DOCKER_HOST} value names: {@code unix:///path}; null or empty for {@link
   * #DEFAULT_SOCKET}.
   *
   * @throws IllegalArgumentException for other schemes (TCP, SSH), which this client does not speak
   */
  public static Path socket(String dockerHost) {
    if (dockerHost == null || dockerHost.isBlank()) {
      return DEFAULT_SOCKET;
    }
    if (!dockerHost.startsWith("unix://") || dockerHost.length() <= "unix://".length()) {
      throw new IllegalArgumentException(
          "DOCKER_HOST="
              + dockerHost
              + " is not supported: Bosun talks to Docker over a unix socket (unix:///path)");
    }
    return Path.of(dockerHost.substring("unix://".length()));
  }

  /** {@code unix:///path/to/docker.sock}. */
  public String endpoint() {
    return http.endpoint();
  }

  /** Succeeds when the daemon answers {@code GET /_ping}. */
  public void ping() {
    try (HttpResponse response = send(HttpRequest.of("GET", "/_ping", timeout))) {
      if (!response.isSuccess()) {
        throw error(response);
      }
    }
  }

  /** The daemon's version, runtimes and host resources. */
  public DockerHost host() {
    JsonNode version = json(HttpRequest.of("GET", "/version", timeout));
    JsonNode info = json(HttpRequest.of("GET", "/info", timeout));
    Set<String> runtimes = new HashSet<>();
    info.path("Runtimes").fieldNames().forEachRemaining(runtimes::add);
    return new DockerHost(
        version.path("Version").asText(""),
        version.path("ApiVersion").asText(""),
        runtimes,
        info.path("DefaultRuntime").asText(""),
        info.path("MemTotal").asLong(),
        info.path("NCPU").asInt(),
        info.path("CgroupVersion").asText(""));
  }

  /** The image if it is on the host. */
  public Optional<ImageInfo> inspectImage(String reference) {
    try (HttpResponse response =
        send(HttpRequest.of("GET", "/images/" + segment(reference) + "/json", timeout))) {
      if (response.status() == 404) {
        return Optional.empty();
      }
      JsonNode image = parse(response, checked(response).bytes());
      return Optional.of(
          new ImageInfo(
              image.path("Id").asText(),
              ContainerJson.strings(image.path("RepoTags")),
              image.path("Size").asLong()));
    }
  }

  /**
   * Pulls an image, reporting Docker's progress events as they come.
   *
   * @param auth credentials for the registry, or null for none
   * @param timeout how long the whole pull may take
   * @throws DockerException FAILED with Docker's message (e.g. {@code pull access denied}, {@code
   *     manifest unknown}, {@code unauthorized}), REJECTED when Docker refuses before starting,
   *     TIMEOUT when the pull takes longer than {@code timeout}
   */
  public void pullImage(
      String reference, RegistryAuth auth, Duration timeout, Consumer<PullProgress> progress) {
    new ImageTransfer(this).pull(reference, auth, timeout, progress);
  }

  /**
   * Makes an image from a root filesystem tar ({@code POST /images/create?fromSrc=-}), like {@code
   * docker import}, and returns its id.
   */
  public String importImage(Path tar, String reference) {
    return new ImageTransfer(this).importTar(tar, reference, timeout);
  }

  /** Creates a container and returns its id; Docker's warnings are logged. */
  public String createContainer(ContainerSpec spec) {
    String target = "/containers/create";
    if (spec.name() != null) {
      target += "?name=" + query(spec.name());
    }
    byte[] body = ContainerJson.createBody(spec).toString().getBytes(StandardCharsets.UTF_8);
    JsonNode created = json(HttpRequest.of("POST", target, timeout).withJson(body));
    String id = created.path("Id").asText();
    for (JsonNode warning : created.path("Warnings")) {
      LOG.info("Docker warns about container {}: {}", name(spec.name(), id), warning.asText());
    }
    LOG.debug("Created container {} ({}) from {}", name(spec.name(), id), id, spec.image());
    return id;
  }

  /**
   * Puts files into a container before it starts ({@code PUT /containers/{id}/archive}): each file
   * by its path inside {@code directory}, readable by everyone. Docker writes them into the
   * container's own filesystem, so nothing on the host needs to be shared with the daemon.
   */
  public void copyToContainer(String id, String directory, Map<String, String> files) {
    byte[] tar = Tar.of(files);
    call(
        HttpRequest.of(
                "PUT", "/containers/" + segment(id) + "/archive?path=" + query(directory), timeout)
            .withBody(tar, "application/x-tar"));
  }

  /** Starts a created container; starting a running one succeeds. */
  public void startContainer(String id) {
    call(HttpRequest.of("POST", "/containers/" + segment(id) + "/start", timeout), 304);
  }

  /** The container's state, ports, labels and settings. */
  public ContainerInfo inspectContainer(String id) {
    return ContainerJson.info(
        json(HttpRequest.of("GET", "/containers/" + segment(id) + "/json", timeout)));
  }

  /**
   * Blocks until the started container is no longer running and returns its exit status (128+n when
   * a signal n ended it). Returns at once for a container that has already ended.
   */
  public int waitContainer(String id) {
    JsonNode result =
        json(
            HttpRequest.of(
                "POST", "/containers/" + segment(id) + "/wait?condition=not-running", null));
    String error = result.path("Error").path("Message").asText("");
    if (!error.isEmpty()) {
      LOG.warn("Docker reports while waiting for container {}: {}", id, error);
    }
    return result.path("StatusCode").asInt();
  }

  /**
   * Stops a container: SIGTERM (or the image's stop signal) to its process, SIGKILL after {@code
   * grace}. Returns when it has stopped; stopping a stopped container succeeds.
   */
  public void stopContainer(String id, Duration grace) {
    long seconds = Math.max(0, grace.toSeconds());
    call(
        HttpRequest.of(
            "POST",
            "/containers/" + segment(id) + "/stop?t=" + seconds,
            timeout.plusSeconds(seconds)),
        304);
  }

  /**
   * Sends {@code signal} (e.g. {@code SIGKILL}, {@code SIGINT}) to the container's process; an
   * ended container is left alone.
   */
  public void killContainer(String id, String signal) {
    call(
        HttpRequest.of(
            "POST", "/containers/" + segment(id) + "/kill?signal=" + query(signal), timeout),
        409);
  }

  /**
   * Removes a container, killing it first if it runs, with its anonymous volumes; a missing one is
   * fine.
   */
  public void removeContainer(String id) {
    call(
        HttpRequest.of("DELETE", "/containers/" + segment(id) + "?force=true&v=true", timeout),
        404);
  }

  /** All containers, running or not, that carry every one of {@code labels}. */
  public List<ContainerSummary> listContainers(Map<String, String> labels) {
    ObjectNode filters = JSON.createObjectNode();
    var wanted = filters.putArray("label");
    labels.forEach((name, value) -> wanted.add(name + "=" + value));
    JsonNode list =
        json(
            HttpRequest.of(
                "GET", "/containers/json?all=true&filters=" + query(filters.toString()), timeout));
    List<ContainerSummary> containers = new ArrayList<>();
    list.forEach(container -> containers.add(ContainerJson.summary(container)));
    return containers;
  }

  /**
   * Reads the container's stdout and stderr into {@code sink}: what was written so far, or, when
   * {@code options.follow()}, until the container ends. Output of a container without a terminal is
   * demultiplexed; with a terminal it all arrives as stdout.
   */
  public void logs(String id, LogOptions options, LogSink sink) {
    boolean tty = inspectContainer(id).tty();
    StringBuilder target =
        new StringBuilder("/containers/" + segment(id) + "/logs?stdout=true&stderr=true");
    target.append("&follow=").append(options.follow());
    target.append("&timestamps=").append(options.timestamps());
    if (options.since() != null) {
      target.append("&since=").append(options.since().getEpochSecond());
      target.append('.').append(String.format("%09d", options.since().getNano()));
    }
    try (HttpResponse response =
        send(HttpRequest.of("GET", target.toString(), options.follow() ? null : timeout))) {
      checked(response);
      try {
        LogDemultiplexer.copy(response.body(), !tty, sink);
      } catch (IOException e) {
        throw response.failure(e);
      }
    }
  }

  /**
   * Creates a bridge network with a fixed subnet and returns its id.
   *
   * @param options driver options, e.g. {@code com.docker.network.bridge.name} for the bridge
   *     interface's name
   */
  public String createNetwork(String name, String subnet, Map<String, String> options) {
    ObjectNode body = JSON.createObjectNode();
    body.put("Name", name);
    body.put("Driver", "bridge");
    body.put("CheckDuplicate", true);
    body.putObject("IPAM").putArray("Config").addObject().put("Subnet", subnet);
    ObjectNode driverOptions = body.putObject("Options");
    options.forEach(driverOptions::put);
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    return json(HttpRequest.of("POST", "/networks/create", timeout).withJson(bytes))
        .path("Id")
        .asText();
  }

  /** Removes a network; a missing one is fine. */
  public void removeNetwork(String name) {
    call(HttpRequest.of("DELETE", "/networks/" + segment(name), timeout), 404);
  }

  // ---- plumbing shared with ImageTransfer

  /** Sends a request to {@code /v1.41} + the target. */
  HttpResponse send(HttpRequest request) {
    HttpRequest versioned =
        new HttpRequest(
            request.method(),
            "/v" + API_VERSION + request.target(),
            request.headers(),
            request.contentType(),
            request.body(),
            request.bodyFile(),
            request.timeout());
    return http.send(versioned);
  }

  /** The response if it succeeded, else Docker's error as an exception. */
  static HttpResponse checked(HttpResponse response) {
    if (!response.isSuccess()) {
      throw error(response);
    }
    return response;
  }

  /** Docker's {@code {"message": ...}} (or its plain text) with the status. */
  static DockerException error(HttpResponse response) {
    String text;
    try {
      text = response.text();
    } catch (DockerException e) {
      text = "";
    }
    String message = text.strip();
    try {
      JsonNode json = JSON.readTree(text);
      if (json != null && json.hasNonNull("message")) {
        message = json.get("message").asText();
      }
    } catch (IOException e) {
      // not JSON: keep the text
    }
    if (message.isEmpty()) {
      message = "Docker answered HTTP " + response.status();
    }
    return DockerException.rejected(response.status(), message);
  }

  static JsonNode parse(HttpResponse response, byte[] body) {
    if (body.length == 0) {
      return JSON.missingNode();
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new DockerException(
          DockerException.Kind.PROTOCOL,
          0,
          "Docker answered with JSON that does not parse: " + e.getMessage());
    }
  }

  /** A path segment: ids, names and image references, which never need escaping. */
  static String segment(String value) {
    if (value == null || !SEGMENT.matcher(value).matches()) {
      throw new IllegalArgumentException("not a Docker id, name or image reference: " + value);
    }
    return value;
  }

  static String query(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private JsonNode json(HttpRequest request) {
    try (HttpResponse response = send(request)) {
      return parse(response, checked(response).bytes());
    }
  }

  /** A call whose answer has no body worth reading; {@code alsoFine} statuses count as success. */
  private void call(HttpRequest request, int... alsoFine) {
    try (HttpResponse response = send(request)) {
      for (int status : alsoFine) {
        if (response.status() == status) {
          return;
        }
      }
      checked(response).bytes();
    }
  }

  private static String name(String name, String id) {
    return name != null ? name : id.substring(0, Math.min(12, id.length()));
  }
}
