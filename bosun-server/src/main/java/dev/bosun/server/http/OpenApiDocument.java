package dev.bosun.server.http;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the OpenAPI 3.1 document from the route table and the wire records, so the document cannot
 * drift from the code that serves it.
 */
final class OpenApiDocument {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern PATH_PARAM = Pattern.compile("\\{([a-z_]+)}");
  private static final PropertyNamingStrategies.SnakeCaseStrategy SNAKE =
      new PropertyNamingStrategies.SnakeCaseStrategy();

  private final ObjectNode schemas = NODES.objectNode();

  static ObjectNode build(List<ApiRoute> routes, String version) {
    return new OpenApiDocument().document(routes, version);
  }

  private ObjectNode document(List<ApiRoute> routes, String version) {
    ObjectNode root = NODES.objectNode();
    root.put("openapi", "3.1.0");
    root.putObject("info")
        .put("title", "Bosun API")
        .put("version", version)
        .put(
            "description",
            "Every /api call needs 'Authorization: Bearer <token>' and membership of the project.");
    ObjectNode paths = root.putObject("paths");
    for (ApiRoute route : routes) {
      ObjectNode path =
          paths.has(route.path())
              ? (ObjectNode) paths.get(route.path())
              : paths.putObject(route.path());
      ObjectNode operation = path.putObject(route.method().toLowerCase());
      operation.put("summary", route.summary());
      ArrayNode parameters = operation.putArray("parameters");
      Matcher matcher = PATH_PARAM.matcher(route.path());
      while (matcher.find()) {
        parameters
            .addObject()
            .put("name", matcher.group(1))
            .put("in", "path")
            .put("required", true)
            .putObject("schema")
            .put("type", "string");
      }
      if (route.authenticated()) {
        operation.putArray("security").addObject().putArray("bearer");
      }
      if (route.requestBody() != null) {
        operation
            .putObject("requestBody")
            .put("required", true)
            .putObject("content")
            .putObject("application/json")
            .set("schema", schema(route.requestBody()));
      }
      ObjectNode responses = operation.putObject("responses");
      if (route.responseBody() == Void.class) {
        responses.putObject("204").put("description", "done");
      } else {
        responses
            .putObject("200")
            .put("description", "ok")
            .putObject("content")
            .putObject("application/json")
            .set("schema", schema(route.responseBody()));
      }
      responses
          .putObject("default")
          .put("description", "an error")
          .putObject("content")
          .putObject("application/json")
          .set("schema", schema(dev.bosun.api.ApiError.class));
    }
    ObjectNode components = root.putObject("components");
    components.set("schemas", schemas);
    components
        .putObject("securitySchemes")
        .putObject("bearer")
        .put("type", "http")
        .put("scheme", "bearer");
    return root;
  }

  private ObjectNode schema(Type type) {
    if (type instanceof ParameterizedType parameterized) {
      Class<?> raw = (Class<?>) parameterized.getRawType();
      Type[] args = parameterized.getActualTypeArguments();
      if (List.class.isAssignableFrom(raw) || java.util.Set.class.isAssignableFrom(raw)) {
        ObjectNode array = NODES.objectNode().put("type", "array");
        array.set("items", schema(args[0]));
        return array;
      }
      if (Map.class.isAssignableFrom(raw)) {
        ObjectNode map = NODES.objectNode().put("type", "object");
        map.set("additionalProperties", schema(args[1]));
        return map;
      }
      return schema(raw);
    }
    Class<?> cls = (Class<?>) type;
    if (cls == String.class) {
      return NODES.objectNode().put("type", "string");
    }
    if (cls == int.class || cls == Integer.class || cls == long.class || cls == Long.class) {
      return NODES.objectNode().put("type", "integer");
    }
    if (cls == double.class || cls == Double.class) {
      return NODES.objectNode().put("type", "number");
    }
    if (cls == boolean.class || cls == Boolean.class) {
      return NODES.objectNode().put("type", "boolean");
    }
    if (cls == Instant.class) {
      return NODES.objectNode().put("type", "string").put("format", "date-time");
    }
    if (cls.isEnum()) {
      ObjectNode node = NODES.objectNode().put("type", "string");
      ArrayNode values = node.putArray("enum");
      for (Object constant : cls.getEnumConstants()) {
        values.add(((Enum<?>) constant).name().toLowerCase());
      }
      return node;
    }
    if (cls.isRecord()) {
      String name = cls.getSimpleName();
      if (!schemas.has(name)) {
        ObjectNode object = schemas.putObject(name).put("type", "object");
        ObjectNode properties = object.putObject("properties");
        for (RecordComponent component : cls.getRecordComponents()) {
          properties.set(SNAKE.translate(component.getName()), schema(component.getGenericType()));
        }
      }
      return NODES.objectNode().put("$ref", "#/components/schemas/" + name);
    }
    return NODES.objectNode().put("type", "object");
  }
}
