package dev.bosun.agent.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates between this package's records and the Engine API's JSON for containers: the create
 * body from a {@link ContainerSpec}, and {@link ContainerInfo} and {@link ContainerSummary} from
 * inspect and list answers. Fields Docker leaves out or sets to null read as empty.
 */
final class ContainerJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Docker's zero time, for a container that never started or ended. */
  private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  private ContainerJson() {}

  /**
   * The body of {@code POST /containers/create}. A memory limit also sets {@code MemorySwap} to the
   * same value, so that a job cannot exceed its limit by swapping.
   */
  static ObjectNode createBody(ContainerSpec spec) {
    ObjectNode body = JSON.createObjectNode();
    body.put("Image", spec.image());
    if (!spec.command().isEmpty()) {
      strings(body.putArray("Cmd"), spec.command());
    }
    if (!spec.entrypoint().isEmpty()) {
      strings(body.putArray("Entrypoint"), spec.entrypoint());
    }
    ArrayNode env = body.putArray("Env");
    spec.env().forEach((name, value) -> env.add(name + "=" + value));
    putIfSet(body, "User", spec.user());
    putIfSet(body, "WorkingDir", spec.workingDir());
    ObjectNode labels = body.putObject("Labels");
    spec.labels().forEach(labels::put);
    body.put("Tty", spec.tty());
    body.put("OpenStdin", false);
    ObjectNode exposed = body.putObject("ExposedPorts");
    ObjectNode host = body.putObject("HostConfig");
    strings(
        host.putArray("Binds"),
        spec.binds().stream().map(ContainerSpec.Bind::toDockerString).toList());
    ObjectNode bindings = host.putObject("PortBindings");
    for (ContainerSpec.PortBinding port : spec.ports()) {
      String key = port.containerPort() + "/" + port.protocol();
      exposed.putObject(key);
      ArrayNode forPort =
          bindings.has(key) ? (ArrayNode) bindings.get(key) : bindings.putArray(key);
      forPort
          .addObject()
          .put("HostIp", port.hostIp())
          .put("HostPort", port.hostPort() == 0 ? "" : Integer.toString(port.hostPort()));
    }
    if (spec.shmSizeBytes() > 0) {
      host.put("ShmSize", spec.shmSizeBytes());
    }
    if (spec.nanoCpus() > 0) {
      host.put("NanoCpus", spec.nanoCpus());
    }
    if (spec.memoryBytes() > 0) {
      host.put("Memory", spec.memoryBytes());
      host.put("MemorySwap", spec.memoryBytes());
    }
    putIfSet(host, "NetworkMode", spec.networkMode());
    host.put("Privileged", spec.privileged());
    ArrayNode requests = host.putArray("DeviceRequests");
    for (ContainerSpec.DeviceRequest request : spec.deviceRequests()) {
      ObjectNode node = requests.addObject();
      node.put("Driver", request.driver());
      node.put("Count", request.count());
      strings(node.putArray("DeviceIDs"), request.deviceIds());
      ArrayNode capabilities = node.putArray("Capabilities");
      request.capabilities().forEach(set -> strings(capabilities.addArray(), set));
    }
    ArrayNode devices = host.putArray("Devices");
    for (ContainerSpec.Device device : spec.devices()) {
      devices
          .addObject()
          .put("PathOnHost", device.hostPath())
          .put("PathInContainer", device.containerPath())
          .put("CgroupPermissions", device.permissions());
    }
    host.put("Init", spec.init());
    putIfSet(host, "Runtime", spec.runtime());
    return body;
  }

  /** A {@code GET /containers/{id}/json} answer. */
  static ContainerInfo info(JsonNode json) {
    JsonNode config = json.path("Config");
    JsonNode host = json.path("HostConfig");
    JsonNode state = json.path("State");
    String name = json.path("Name").asText("");
    return new ContainerInfo(
        json.path("Id").asText(),
        name.startsWith("/") ? name.substring(1) : name,
        config.path("Image").asText(""),
        stringMap(config.path("Labels")),
        new ContainerInfo.State(
            state.path("Status").asText(""),
            state.path("Running").asBoolean(),
            state.path("ExitCode").asInt(),
            state.path("OOMKilled").asBoolean(),
            state.path("Error").asText(""),
            state.path("Pid").asLong(),
            time(state.path("StartedAt").asText(ZERO_TIME)),
            time(state.path("FinishedAt").asText(ZERO_TIME))),
        publishedPorts(json.path("NetworkSettings").path("Ports")),
        config.path("Tty").asBoolean(),
        host.path("Memory").asLong(),
        host.path("NanoCpus").asLong(),
        host.path("ShmSize").asLong(),
        host.path("NetworkMode").asText(""),
        deviceRequests(host.path("DeviceRequests")),
        strings(config.path("Env")),
        config.path("User").asText(""),
        config.path("WorkingDir").asText(""),
        ipAddress(json.path("NetworkSettings")));
  }

  /** The first address Docker gave the container on one of its networks. */
  private static String ipAddress(JsonNode settings) {
    for (JsonNode network : settings.path("Networks")) {
      String address = network.path("IPAddress").asText("");
      if (!address.isEmpty()) {
        return address;
      }
    }
    return settings.path("IPAddress").asText("");
  }

  /** One entry of a {@code GET /containers/json} answer. */
  static ContainerSummary summary(JsonNode json) {
    List<String> names = new ArrayList<>();
    for (JsonNode name : json.path("Names")) {
      String text = name.asText();
      names.add(text.startsWith("/") ? text.substring(1) : text);
    }
    return new ContainerSummary(
        json.path("Id").asText(),
        names,
        json.path("Image").asText(""),
        json.path("State").asText(""),
        json.path("Status").asText(""),
        stringMap(json.path("Labels")));
  }

  private static List<ContainerInfo.PublishedPort> publishedPorts(JsonNode ports) {
    List<ContainerInfo.PublishedPort> published = new ArrayList<>();
    ports
        .properties()
        .forEach(
            entry -> {
              String[] portAndProtocol = entry.getKey().split("/", 2);
              int containerPort = Integer.parseInt(portAndProtocol[0]);
              String protocol = portAndProtocol.length > 1 ? portAndProtocol[1] : "tcp";
              for (JsonNode binding : entry.getValue()) { // null (not bound) iterates as empty
                String hostPort = binding.path("HostPort").asText("");
                if (!hostPort.isEmpty()) {
                  published.add(
                      new ContainerInfo.PublishedPort(
                          containerPort,
                          protocol,
                          binding.path("HostIp").asText(""),
                          Integer.parseInt(hostPort)));
                }
              }
            });
    return published;
  }

  private static List<ContainerSpec.DeviceRequest> deviceRequests(JsonNode requests) {
    List<ContainerSpec.DeviceRequest> list = new ArrayList<>();
    for (JsonNode request : requests) {
      List<List<String>> capabilities = new ArrayList<>();
      for (JsonNode set : request.path("Capabilities")) {
        capabilities.add(strings(set));
      }
      list.add(
          new ContainerSpec.DeviceRequest(
              request.path("Driver").asText(""),
              request.path("Count").asInt(),
              strings(request.path("DeviceIDs")),
              capabilities));
    }
    return list;
  }

  static List<String> strings(JsonNode array) {
    List<String> list = new ArrayList<>();
    for (JsonNode item : array) {
      list.add(item.asText());
    }
    return list;
  }

  static Map<String, String> stringMap(JsonNode object) {
    Map<String, String> map = new LinkedHashMap<>();
    object.properties().forEach(entry -> map.put(entry.getKey(), entry.getValue().asText()));
    return map;
  }

  private static Instant time(String text) {
    if (text.isEmpty() || text.equals(ZERO_TIME)) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  private static void putIfSet(ObjectNode node, String field, String value) {
    if (value != null && !value.isEmpty()) {
      node.put(field, value);
    }
  }
}
