package dev.bosun.model.config;

import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binds the fields every run type shares beyond its commands: {@code env}, {@code retry}, the time
 * limits and {@code tags}. Tasks and dev environments share it through {@link RunBinder}; fleets
 * read {@code env} and {@code tags} with it too.
 */
final class RunProfileBinder {
  private static final String ENV_FORMS = "a list of NAME=value or NAME, or a mapping NAME: value";

  private final NodeReader reader;

  RunProfileBinder(NodeReader reader) {
    this.reader = reader;
  }

  Environment environment(YamlNode node, FieldPath path) {
    Map<String, String> values = new LinkedHashMap<>();
    Set<String> fromSubmitter = new LinkedHashSet<>();
    Map<String, FieldPath> seen = new HashMap<>();
    int before = reader.errors().count();
    switch (node) {
      case YamlNode.Sequence sequence -> {
        for (int i = 0; i < sequence.items().size(); i++) {
          YamlNode item = sequence.items().get(i);
          FieldPath at = path.item(i);
          String text = reader.text(item, at, "NAME=value or NAME");
          if (text != null) {
            int equals = text.indexOf('=');
            String name = equals < 0 ? text.strip() : text.substring(0, equals).strip();
            String value = equals < 0 ? null : text.substring(equals + 1);
            addVariable(item.position(), at, name, value, values, fromSubmitter, seen);
          }
        }
      }
      case YamlNode.Mapping mapping -> {
        for (YamlNode.Entry entry : mapping.entries()) {
          FieldPath at = path.key(entry.key());
          String value = null;
          if (!(entry.value() instanceof YamlNode.Scalar scalar && scalar.isNull())) {
            value = reader.text(entry.value(), at, "a value (text or a number)");
            if (value == null) {
              continue;
            }
          }
          addVariable(entry.keyPosition(), at, entry.key(), value, values, fromSubmitter, seen);
        }
      }
      case YamlNode.Scalar scalar ->
          reader.report(scalar, path, "expected " + ENV_FORMS + ", found " + scalar.describe());
    }
    return reader.errors().count() > before ? null : new Environment(values, fromSubmitter);
  }

  private void addVariable(
      YamlNode.Position position,
      FieldPath path,
      String name,
      String value,
      Map<String, String> values,
      Set<String> fromSubmitter,
      Map<String, FieldPath> seen) {
    if (!Environment.isValidName(name)) {
      reader
          .errors()
          .report(
              position,
              path,
              "invalid environment variable name '"
                  + name
                  + "': a name starts with"
                  + " a letter or '_' and holds letters, digits or '_' (e.g. HF_TOKEN)");
      return;
    }
    FieldPath first = seen.putIfAbsent(name, path);
    if (first != null) {
      reader
          .errors()
          .report(position, path, "environment variable " + name + " is already set by " + first);
      return;
    }
    if (value == null) {
      fromSubmitter.add(name);
    } else {
      values.put(name, value);
    }
  }

  RetryPolicy retry(YamlNode node, FieldPath path) {
    if (node instanceof YamlNode.Scalar scalar && scalar.kind() == YamlNode.Scalar.Kind.TRUE) {
      return RetryPolicy.ALWAYS;
    }
    if (node instanceof YamlNode.Scalar scalar && scalar.kind() == YamlNode.Scalar.Kind.FALSE) {
      return RetryPolicy.NEVER;
    }
    if (!(node instanceof YamlNode.Mapping mapping)) {
      return reader.parsed(
          node,
          path,
          "true, false or a mapping with on_events and duration",
          text ->
              switch (text) {
                case "true" -> RetryPolicy.ALWAYS;
                case "false" -> RetryPolicy.NEVER;
                default ->
                    throw new IllegalArgumentException(
                        "invalid retry '"
                            + text
                            + "': expected true, false or a"
                            + " mapping such as {on_events: [no-capacity, interruption, error], duration: 1h}");
              });
    }
    int before = reader.errors().count();
    MappingReader fields =
        new MappingReader(mapping, path, ConfigurationFields.RETRY, reader.errors());
    YamlNode eventsNode = fields.take("on_events");
    YamlNode durationNode = fields.take("duration");
    fields.finish();
    Set<RetryEvent> events = EnumSet.allOf(RetryEvent.class);
    if (eventsNode != null) {
      FieldPath eventsPath = fields.pathOf("on_events");
      List<RetryEvent> listed =
          reader.list(
              eventsNode,
              eventsPath,
              "a list of " + RetryEvent.allowed(),
              (item, at) -> reader.parsed(item, at, "a retry event", RetryEvent::parse));
      if (listed != null && listed.isEmpty()) {
        reader.report(
            eventsNode,
            eventsPath,
            "on_events must not be empty: list some of "
                + RetryEvent.allowed()
                + ", or write retry: false");
      } else if (listed != null) {
        events = EnumSet.copyOf(listed);
      }
    }
    Duration duration =
        durationNode == null
            ? null
            : reader.parsed(
                durationNode,
                fields.pathOf("duration"),
                "a duration such as 1h",
                DurationGrammar::parse);
    return reader.errors().count() > before ? null : new RetryPolicy(events, duration);
  }

  /**
   * {@code off} or {@code false} turn the limit off; {@code true} means "the default", as in
   * dstack, so it gives null like a field left out.
   */
  TimeLimit timeLimit(YamlNode node, FieldPath path) {
    if (node instanceof YamlNode.Scalar scalar && scalar.kind() == YamlNode.Scalar.Kind.TRUE) {
      return null;
    }
    if (node instanceof YamlNode.Scalar scalar && scalar.kind() == YamlNode.Scalar.Kind.FALSE) {
      return TimeLimit.OFF;
    }
    return reader.parsed(node, path, "a duration such as 2h, or off", TimeLimit::parse);
  }

  Map<String, String> tags(YamlNode node, FieldPath path) {
    YamlNode.Mapping mapping = reader.mapping(node, path, "a mapping of tag names to values");
    if (mapping == null) {
      return null;
    }
    int before = reader.errors().count();
    Map<String, String> tags = new LinkedHashMap<>();
    for (YamlNode.Entry entry : mapping.entries()) {
      FieldPath at = path.key(entry.key());
      try {
        RunFieldRules.tagKey(entry.key());
      } catch (IllegalArgumentException e) {
        reader.errors().report(entry.keyPosition(), at, e.getMessage());
        continue;
      }
      String value =
          reader.parsed(
              entry.value(),
              at,
              "a tag value (text or a number)",
              text -> RunFieldRules.tagValue(entry.key(), text));
      if (value != null) {
        tags.put(entry.key(), value);
      }
    }
    return reader.errors().count() > before ? null : tags;
  }
}
