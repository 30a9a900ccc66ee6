package dev.bosun.model.config;

import java.util.Objects;

/**
 * A dstack field that Bosun does not support yet. Naming them apart from unknown fields lets the
 * user tell "this file is for dstack and uses a feature Bosun lacks" from "this field is misspelt".
 *
 * @param name the YAML name
 * @param reason why not, ending the sentence "not supported yet by Bosun (...)"
 */
record UnsupportedField(String name, String reason) {
  UnsupportedField {
    Objects.requireNonNull(name, "name is null");
    Objects.requireNonNull(reason, "reason is null");
  }

  String message() {
    return "field '" + name + "' is not supported yet by Bosun (" + reason + ")";
  }
}
