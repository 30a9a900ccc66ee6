package dev.bosun.model.config;

/**
 * Where a value sits in a configuration file: {@code resources.gpu}, {@code commands[2]}, {@code
 * env.FOO}.
 */
record FieldPath(String text) {
  static final FieldPath ROOT = new FieldPath("");

  FieldPath key(String key) {
    return new FieldPath(text.isEmpty() ? key : text + "." + key);
  }

  FieldPath item(int index) {
    return new FieldPath(text + "[" + index + "]");
  }

  @Override
  public String toString() {
    return text;
  }
}
