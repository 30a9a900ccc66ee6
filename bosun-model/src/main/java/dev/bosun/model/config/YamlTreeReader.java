package dev.bosun.model.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.bosun.model.config.YamlNode.Position;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * Reads YAML text into a {@link YamlNode} tree with Jackson's streaming YAML parser. Building our
 * own small tree, rather than binding with databind, keeps the line and column of every key and
 * value for error messages.
 */
final class YamlTreeReader {
  // The plain constructor, not the builder: only its defaults read "key:" with no value as null, as
  // YAML means it.
  private static final YAMLFactory FACTORY = new YAMLFactory();

  // Far deeper than any configuration, far shallower than Jackson's own limit, whose message names
  // its classes.
  private static final int MAX_DEPTH = 64;

  // A qualified class name or a library's name in a message: internals the user cannot act on.
  private static final Pattern INTERNALS =
      Pattern.compile(
          "(?i)(\\b[a-z_]\\w*\\.[a-z_]\\w*\\.[A-Za-z_][\\w.$]*|jackson|snakeyaml|exception|\\bclass\\b)");

  private final String text;
  private final ErrorCollector errors;
  private JsonParser parser;

  private YamlTreeReader(String text, ErrorCollector errors) {
    this.text = text;
    this.errors = errors;
  }

  /**
   * Reads the one document of {@code text}. Returns null when the text holds no document or when it
   * is not valid YAML; the latter is reported to {@code errors} with the parser's position.
   */
  static YamlNode read(String text, ErrorCollector errors) {
    return new YamlTreeReader(text, errors).read();
  }

  private YamlNode read() {
    try (JsonParser opened = FACTORY.createParser(text)) {
      parser = opened;
      JsonToken first = parser.nextToken();
      if (first == null) {
        return null;
      }
      YamlNode root = node(first, FieldPath.ROOT, 0);
      if (root != null && parser.nextToken() != null) {
        errors.report(
            position(),
            FieldPath.ROOT,
            "a second YAML document starts here; a configuration file holds exactly one (remove the '---' line)");
        return null;
      }
      return root;
    } catch (JacksonException e) {
      reportSyntaxError(e);
      return null;
    } catch (YAMLException e) {
      reportSyntaxError(e);
      return null;
    } catch (IOException e) {
      // Reading a String does no I/O; kept as a syntax error so that no case escapes as a crash.
      errors.report(
          new Position(1, 1), FieldPath.ROOT, "the file cannot be read as YAML: " + firstLine(e));
      return null;
    }
  }

  /**
   * The node that starts at {@code token}; null (with an error reported) when it cannot be used.
   */
  private YamlNode node(JsonToken token, FieldPath path, int depth) throws IOException {
    Position start = position();
    if (token == null) {
      errors.report(start, path, "the file ends where a value is expected");
      return null;
    }
    if (depth > MAX_DEPTH) {
      // The path would be as deep as the nesting, so the position alone says where.
      errors.report(
          start, FieldPath.ROOT, "the file is nested more than " + MAX_DEPTH + " levels deep");
      parser.skipChildren();
      return null;
    }
    return switch (token) {
      case START_OBJECT -> mapping(start, path, depth);
      case START_ARRAY -> sequence(start, path, depth);
      case VALUE_STRING, VALUE_EMBEDDED_OBJECT -> aliasOr(start, path, YamlNode.Scalar.Kind.STRING);
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> scalar(start, YamlNode.Scalar.Kind.NUMBER);
      case VALUE_TRUE -> scalar(start, YamlNode.Scalar.Kind.TRUE);
      case VALUE_FALSE -> scalar(start, YamlNode.Scalar.Kind.FALSE);
      case VALUE_NULL -> scalar(start, YamlNode.Scalar.Kind.NULL);
      default -> throw new IllegalStateException("unexpected YAML token " + token + " at " + start);
    };
  }

  private YamlNode mapping(Position start, FieldPath path, int depth) throws IOException {
    List<YamlNode.Entry> entries = new ArrayList<>();
    Map<String, Position> seen = new HashMap<>();
    for (JsonToken token = parser.nextToken();
        token != null && token != JsonToken.END_OBJECT;
        token = parser.nextToken()) {
      String key = parser.currentName();
      Position keyPosition = position();
      FieldPath keyPath = path.key(key);
      YamlNode value = node(parser.nextToken(), keyPath, depth + 1);
      Position first = seen.putIfAbsent(key, keyPosition);
      if (first != null) {
        errors.report(
            keyPosition,
            keyPath,
            "duplicate key '" + key + "'; it is first given on line " + first.line());
      } else if (value != null) {
        entries.add(new YamlNode.Entry(key, keyPosition, value));
      }
    }
    return new YamlNode.Mapping(entries, start);
  }

  private YamlNode sequence(Position start, FieldPath path, int depth) throws IOException {
    List<YamlNode> items = new ArrayList<>();
    for (JsonToken token = parser.nextToken();
        token != null && token != JsonToken.END_ARRAY;
        token = parser.nextToken()) {
      YamlNode item = node(token, path.item(items.size()), depth + 1);
      // An unusable item still takes its index, so later paths match what the user counts.
      items.add(
          item == null ? new YamlNode.Scalar("", YamlNode.Scalar.Kind.NULL, position()) : item);
    }
    return new YamlNode.Sequence(items, start);
  }

  private YamlNode aliasOr(Position start, FieldPath path, YamlNode.Scalar.Kind kind)
      throws IOException {
    if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
      errors.report(
          start,
          path,
          "YAML aliases (*"
              + parser.getText()
              + ") are not supported in configuration files;"
              + " write the value out");
      return null;
    }
    return scalar(start, kind);
  }

  private YamlNode scalar(Position start, YamlNode.Scalar.Kind kind) throws IOException {
    String value = parser.getText();
    return new YamlNode.Scalar(value == null ? "" : value, kind, start);
  }

  private Position position() {
    JsonLocation location = parser.currentTokenLocation();
    return new Position(Math.max(1, location.getLineNr()), Math.max(1, location.getColumnNr()));
  }

  private void reportSyntaxError(Exception e) {
    Throwable cause = e instanceof YAMLException ? e : e.getCause();
    if (cause instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
      YamlSyntaxProblem problem = YamlSyntaxProblem.explain(marked);
      errors.report(problem.position(), FieldPath.ROOT, problem.message());
    } else if (cause instanceof ReaderException unreadable) {
      errors.report(
          positionOfCodePoint(unreadable.getPosition()),
          FieldPath.ROOT,
          String.format(
              "the file holds a character that YAML does not allow (U+%04X)",
              unreadable.getCodePoint()));
    } else if (e instanceof JacksonException jackson && jackson.getLocation() != null) {
      JsonLocation location = jackson.getLocation();
      errors.report(
          new Position(Math.max(1, location.getLineNr()), Math.max(1, location.getColumnNr())),
          FieldPath.ROOT,
          "invalid YAML: " + firstLine(cause == null ? e : cause));
    } else {
      errors.report(new Position(1, 1), FieldPath.ROOT, "invalid YAML: " + firstLine(e));
    }
  }

  private Position positionOfCodePoint(int index) {
    int line = 1;
    int column = 1;
    int offset = 0;
    for (int seen = 0; seen < index && offset < text.length(); seen++) {
      int codePoint = text.codePointAt(offset);
      offset += Character.charCount(codePoint);
      if (codePoint == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new Position(line, column);
  }

  /**
   * The first line of a library message, without the source excerpt and Jackson's location suffix,
   * and without class names: a message that names the parser's internals says nothing to the user,
   * so it becomes a plain sentence.
   */
  private static String firstLine(Throwable e) {
    String message =
        e instanceof JacksonException jackson ? jackson.getOriginalMessage() : e.getMessage();
    if (message == null || message.isBlank()) {
      return "the parser cannot read this part of the file";
    }
    String line = message.strip().lines().findFirst().orElse(message).strip();
    if (line.startsWith("Expected a field name")) {
      return "a mapping key must be plain text, not a list or a mapping";
    }
    if (line.contains("base64")) {
      return "a !!binary value is not valid base64; configuration values are text";
    }
    if (INTERNALS.matcher(line).find()) {
      return "the parser cannot read this part of the file";
    }
    return line;
  }

  /** Converts a SnakeYAML mark (0-based) into a position. */
  static Position positionOf(Mark mark) {
    return new Position(mark.getLine() + 1, mark.getColumn() + 1);
  }
}
