package dev.bosun.server.proxy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bosun.model.config.ModelSpec;
import dev.bosun.model.error.BosunException;
import dev.bosun.model.error.ErrorCode;
import dev.bosun.server.runs.RunSpec;
import dev.bosun.server.runs.RunSpecs;
import dev.bosun.store.RunRecord;
import dev.bosun.store.Store;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models a project's running services serve ({@code model:}), for the OpenAI-style endpoint
 * {@code /proxy/models/<project>/v1/...}: the list ({@code GET /v1/models}) and the service a
 * request goes to by the {@code model} field of its body. Read from the store at most once per
 * {@link #TTL} per project.
 */
final class ModelCatalog {
  static final Duration TTL = Duration.ofSeconds(1);
  private static final JsonFactory JSON = new JsonFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** A model and the service that serves it. */
  record Served(String model, String runName, ModelSpec spec, long created) {}

  private record Snapshot(Map<String, Served> models, long at) {}

  private final Store store;
  private final RunSpecs specs;
  private final Map<String, Snapshot> byProject = new ConcurrentHashMap<>();

  ModelCatalog(Store store, RunSpecs specs) {
    this.store = store;
    this.specs = specs;
  }

  /** The models of the project's active services, by name. */
  Map<String, Served> models(String projectId) {
    Snapshot known = byProject.get(projectId);
    if (known != null && System.nanoTime() - known.at() < TTL.toNanos()) {
      return known.models();
    }
    Map<String, Served> models = new TreeMap<>();
    for (RunRecord run : store.runs(projectId, false)) {
      RunSpec spec;
      try {
        spec = specs.of(run);
      } catch (RuntimeException e) {
        continue;
      }
      if (spec.isService() && spec.service().model() != null) {
        ModelSpec model = spec.service().model();
        models.putIfAbsent(
            model.name(),
            new Served(model.name(), run.name(), model, run.submittedAt().getEpochSecond()));
      }
    }
    byProject.put(projectId, new Snapshot(Map.copyOf(models), System.nanoTime()));
    return models;
  }

  /** The service serving {@code model} in the project, or a 404 that lists what is served. */
  Served serving(String projectId, String projectName, String model) {
    Map<String, Served> models = models(projectId);
    Served served = models.get(model);
    if (served == null) {
      throw new BosunException(
          ErrorCode.NOT_FOUND,
          "no running service of project '"
              + projectName
              + "' serves model '"
              + model
              + "'"
              + (models.isEmpty()
                  ? "; none serves a model (give a service model: NAME)"
                  : "; served: " + String.join(", ", new TreeMap<>(models).keySet())));
    }
    return served;
  }

  /** The OpenAI list of models: {@code {"object": "list", "data": [{"id": …}, …]}}. */
  static String list(String projectName, Map<String, Served> models) {
    ObjectNode root = MAPPER.createObjectNode().put("object", "list");
    ArrayNode data = root.putArray("data");
    for (Served served : new TreeMap<>(models).values()) {
      data.addObject()
          .put("id", served.model())
          .put("object", "model")
          .put("created", served.created())
          .put("owned_by", projectName);
    }
    return root.toString();
  }

  /**
   * The top-level {@code model} field of an OpenAI request body, read without building the whole
   * document (prompts can be large); a located 400 when there is none.
   */
  static String modelOf(byte[] body) {
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw noModel("the request body is not a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("model".equals(field)) {
          if (value != JsonToken.VALUE_STRING || parser.getText().isBlank()) {
            throw noModel("its model field is not a model name");
          }
          return parser.getText();
        }
        parser.skipChildren();
      }
      throw noModel("the request body has no model field");
    } catch (IOException e) {
      throw noModel(
          "the request body is not valid JSON ("
              + e.getMessage().lines().findFirst().orElse("")
              + ")");
    }
  }

  private static BosunException noModel(String why) {
    return new BosunException(
        ErrorCode.INVALID_REQUEST,
        why + "; an OpenAI request names its model, e.g. {\"model\": \"NAME\", …}");
  }
}
