package dev.bosun.model.config;

import dev.bosun.model.config.YamlNode.Position;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A YAML syntax error told in a sentence. SnakeYAML's messages carry a source excerpt and parser
 * jargon; the common mistakes (tabs, unclosed quotes, indentation) get a plain explanation and
 * point where the user has to look.
 */
record YamlSyntaxProblem(Position position, String message) {
  static YamlSyntaxProblem explain(MarkedYAMLException e) {
    String problem = e.getProblem() == null ? "" : e.getProblem();
    String context = e.getContext() == null ? "" : e.getContext();
    Position at = YamlTreeReader.positionOf(e.getProblemMark());
    Mark contextMark = e.getContextMark();
    String where =
        contextMark == null
            ? ""
            : " that starts at line "
                + (contextMark.getLine() + 1)
                + ", column "
                + (contextMark.getColumn() + 1);
    if (problem.contains("(TAB)") || problem.contains("'\\t'")) {
      return new YamlSyntaxProblem(
          at, "invalid YAML: a tab character is not allowed here; indent with spaces");
    }
    if (context.contains("quoted scalar")
        && problem.contains("end of stream")
        && contextMark != null) {
      return new YamlSyntaxProblem(
          YamlTreeReader.positionOf(contextMark),
          "invalid YAML: the quoted text that starts here is never closed");
    }
    if (problem.startsWith("expected <block end>") || problem.contains("bad indentation")) {
      return new YamlSyntaxProblem(
          at,
          "invalid YAML: bad indentation; this line does not line up with the block"
              + where
              + " (indent with spaces, the same number for every key)");
    }
    if (problem.contains("mapping values are not allowed here")) {
      return new YamlSyntaxProblem(
          at,
          "invalid YAML: a ': ' is not allowed here; quote the value if it holds ': ',"
              + " or check the indentation of the line");
    }
    String detail = context.isEmpty() ? problem : problem + " (" + context + where + ")";
    return new YamlSyntaxProblem(at, "invalid YAML: " + clean(detail));
  }

  /** SnakeYAML names tokens like {@code <block mapping start>}; keep the words, lose the markup. */
  private static String clean(String text) {
    return text.replace("<", "").replace(">", "").replace("\n", " ").strip();
  }
}
