package dev.bosun.model.config;

import java.util.Objects;

/**
 * A dstack field that Bosun does not support yet, or a field of another type that does not apply to
 * this one (such as a task's {@code commands} in a dev environment). Naming them apart from unknown
 * fields lets the user tell "this file is for dstack and uses a feature Bosun lacks" or "this field
 * belongs to another type" from "this field is misspelt".
 *
 * @param name the YAML name
 * @param reason why not, ending the sentence "not supported yet by Bosun (...)", or for a field
 *     that does not apply, what to do instead
 * @param later true for a field that comes in a later release, false for one that does not apply to
 *     the type at all
 */
record UnsupportedField(String name, String reason, boolean later) {
  UnsupportedField {
    Objects.requireNonNull(name, "name is null");
    Objects.requireNonNull(reason, "reason is null");
  }

  /** A dstack field that comes in a later release. */
  UnsupportedField(String name, String reason) {
    this(name, reason, true);
  }

  /** A field of another type that this type does not take, and never will. */
  static UnsupportedField notApplicable(String name, String reason) {
    return new UnsupportedField(name, reason, false);
  }

  /** The same field with another reason. */
  UnsupportedField withReason(String newReason) {
    return new UnsupportedField(name, newReason, later);
  }

  String message() {
    return later
        ? "field '" + name + "' is not supported yet by Bosun (" + reason + ")"
        : "field '" + name + "' does not apply here: " + reason;
  }

  /** The description of the field in the JSON Schema, which rejects any value of it. */
  String schemaDescription() {
    return later ? "Not supported yet by Bosun: " + reason + "." : "Not allowed: " + reason + ".";
  }
}
