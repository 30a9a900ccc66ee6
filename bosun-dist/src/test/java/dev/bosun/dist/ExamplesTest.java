package dev.bosun.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bosun.model.config.Configuration;
import dev.bosun.model.config.ConfigurationParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every shipped example is a valid configuration. */
class ExamplesTest {
  @Test
  void everyExampleParses() throws Exception {
    Path examples = Path.of("..", "examples");
    List<Path> files;
    try (Stream<Path> list = Files.walk(examples)) {
      files = list.filter(p -> p.toString().endsWith(".bosun.yml")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(3);
    for (Path file : files) {
      Configuration configuration =
          ConfigurationParser.parseAny(Files.readString(file), file.toString());
      assertThat(configuration.type())
          .as(file.toString())
          .isIn("task", "dev-environment", "service", "fleet");
    }
  }
}
