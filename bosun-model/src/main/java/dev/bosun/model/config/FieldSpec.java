package dev.bosun.model.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One field of a configuration mapping: its YAML name, its documentation and its JSON Schema. The
 * binder reads only fields listed in a table of these, and the published JSON Schema is generated
 * from the same tables, so the two cannot disagree.
 *
 * @param name the YAML name, snake_case as in dstack
 * @param description one or two sentences for editors and the schema
 * @param schema the JSON Schema of the value, without the description; {@link #schema()} returns a
 *     copy
 */
record FieldSpec(String name, String description, ObjectNode schema) {
  FieldSpec {
    Objects.requireNonNull(name, "name is null");
    Objects.requireNonNull(description, "description is null");
    schema = schema.deepCopy();
  }

  /** A copy, so that callers cannot change the table. */
  @Override
  public ObjectNode schema() {
    return schema.deepCopy();
  }
}
