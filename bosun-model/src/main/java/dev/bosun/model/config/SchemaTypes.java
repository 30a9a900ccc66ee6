package dev.bosun.model.config;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The JSON Schema vocabulary of configuration files: small builders for schema fragments, and the
 * string grammars (memory, ranges, durations) as ECMA-262 patterns that mirror {@link
 * dev.bosun.model.resources.ResourceGrammar} and {@link DurationGrammar}. Patterns only help
 * editors; the parser remains the judge.
 */
final class SchemaTypes {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private static final String NUMBER = "(\\d+(\\.\\d+)?|\\.\\d+)";
  private static final String MEMORY = NUMBER + "\\s*([mMgGtT][bB])?";
  static final String MEMORY_PATTERN = "^\\s*" + MEMORY + "\\s*$";
  static final String MEMORY_RANGE_PATTERN =
      "^\\s*(" + MEMORY + "\\s*(\\.\\.\\s*(" + MEMORY + ")?)?|\\.\\.\\s*(" + MEMORY + ")?)\\s*$";
  static final String INT_RANGE_PATTERN =
      "^\\s*(\\d+\\s*(\\.\\.\\s*(\\d+)?)?|\\.\\.\\s*(\\d+)?)\\s*$";
  static final String DURATION_PATTERN = "^\\s*(\\d+|(\\d+\\s*[smhdw]\\s*)+)$";
  static final String PORT_PATTERN = "^\\s*((\\d+|\\*)\\s*:\\s*)?\\d+\\s*$";
  static final String REPLICAS_PATTERN = "^\\s*(\\d+|\\d*\\s*\\.\\.\\s*\\d+)\\s*$";

  private SchemaTypes() {}

  static ObjectNode ref(String definition) {
    return JSON.objectNode().put("$ref", "#/$defs/" + definition);
  }

  static ObjectNode string() {
    return JSON.objectNode().put("type", "string");
  }

  static ObjectNode string(String pattern) {
    return string().put("pattern", pattern);
  }

  static ObjectNode integer(int minimum, int maximum) {
    return JSON.objectNode().put("type", "integer").put("minimum", minimum).put("maximum", maximum);
  }

  static ObjectNode nonNegativeNumber() {
    return JSON.objectNode().put("type", "number").put("minimum", 0);
  }

  static ObjectNode positiveNumber() {
    return JSON.objectNode().put("type", "number").put("exclusiveMinimum", 0);
  }

  static ObjectNode positiveInteger() {
    return JSON.objectNode().put("type", "integer").put("minimum", 1);
  }

  /**
   * Applies {@code definition} to the object exactly when its {@code type} field is {@code type}:
   * how one schema tells run files from fleet files, with errors that speak of the right fields.
   */
  static ObjectNode whenType(String type, String definition) {
    ObjectNode node = JSON.objectNode();
    ObjectNode condition = node.putObject("if");
    condition.putObject("properties").putObject("type").put("const", type);
    condition.putArray("required").add("type");
    node.set("then", ref(definition));
    return node;
  }

  static ObjectNode nonNegativeInteger() {
    return JSON.objectNode().put("type", "integer").put("minimum", 0);
  }

  static ObjectNode type(String jsonType) {
    return JSON.objectNode().put("type", jsonType);
  }

  static ObjectNode enumOf(List<String> values) {
    ObjectNode node = string();
    ArrayNode array = node.putArray("enum");
    values.forEach(array::add);
    return node;
  }

  static ObjectNode oneOf(ObjectNode... options) {
    ObjectNode node = JSON.objectNode();
    ArrayNode array = node.putArray("oneOf");
    for (ObjectNode option : options) {
      array.add(option);
    }
    return node;
  }

  static ObjectNode arrayOf(ObjectNode items, int minItems) {
    ObjectNode node = JSON.objectNode().put("type", "array");
    node.set("items", items);
    if (minItems > 0) {
      node.put("minItems", minItems);
    }
    return node;
  }

  static ObjectNode mapOf(ObjectNode keys, ObjectNode values) {
    ObjectNode node = JSON.objectNode().put("type", "object");
    node.set("propertyNames", keys);
    node.set("additionalProperties", values);
    return node;
  }

  static ObjectNode withExamples(ObjectNode node, Object... examples) {
    ArrayNode array = node.putArray("examples");
    for (Object example : examples) {
      if (example instanceof Integer number) {
        array.add(number);
      } else {
        array.add(example.toString());
      }
    }
    return node;
  }

  static ObjectNode described(ObjectNode node, String description) {
    ObjectNode copy = JSON.objectNode().put("description", description);
    copy.setAll(node);
    return copy;
  }

  /**
   * An object with exactly these fields, each described; unsupported fields are listed so that
   * editors explain them instead of calling them unknown, and reject any value.
   */
  static ObjectNode object(
      List<FieldSpec> fields, List<UnsupportedField> unsupported, List<String> required) {
    ObjectNode node = JSON.objectNode().put("type", "object");
    ObjectNode properties = node.putObject("properties");
    for (FieldSpec field : fields) {
      properties.set(field.name(), described(field.schema(), field.description()));
    }
    for (UnsupportedField field : unsupported) {
      ObjectNode rejected = JSON.objectNode().put("description", field.schemaDescription());
      rejected.set("not", JSON.objectNode());
      properties.set(field.name(), rejected);
    }
    if (!required.isEmpty()) {
      ArrayNode array = node.putArray("required");
      required.forEach(array::add);
    }
    node.put("additionalProperties", false);
    return node;
  }
}
