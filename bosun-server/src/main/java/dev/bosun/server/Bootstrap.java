package dev.bosun.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.bosun.store.ProjectRecord;
import dev.bosun.store.Store;
import dev.bosun.store.UserRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * First start: the admin user, the project {@code main} and an admin token, saved for the CLI in
 * {@code config.yml} (mode 0600). Later starts keep the CLI's server address current.
 */
final class Bootstrap {
  static final String DEFAULT_PROJECT = "main";
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

  private Bootstrap() {}

  /** Returns the new admin token on first start, empty afterwards. */
  static Optional<String> firstStart(Store store) {
    if (store.hasUsers()) {
      return Optional.empty();
    }
    String token = Tokens.newToken();
    UserRecord admin = store.createUser("admin", true, Tokens.hash(token));
    store.createProject(DEFAULT_PROJECT, List.of(admin.id()));
    return Optional.of(token);
  }

  /** The main project, which exists after {@link #firstStart}. */
  static ProjectRecord mainProject(Store store) {
    return store
        .project(DEFAULT_PROJECT)
        .orElseThrow(() -> new IllegalStateException("project main is missing"));
  }

  /** Writes or updates {@code home/config.yml}; a token is written only when given. */
  @SuppressWarnings("unchecked")
  static void writeCliConfig(Path home, String serverUrl, String token) throws IOException {
    Path file = home.resolve("config.yml");
    Map<String, Object> config = new LinkedHashMap<>();
    if (Files.exists(file)) {
      Object existing = YAML.readValue(file.toFile(), Object.class);
      if (existing instanceof Map<?, ?> map) {
        config.putAll((Map<String, Object>) map);
      }
    }
    if (token == null && !config.containsKey("token")) {
      return; // nothing to point the CLI at without a token
    }
    config.put("server", serverUrl);
    if (token != null) {
      config.put("token", token);
    }
    config.putIfAbsent("project", DEFAULT_PROJECT);
    Path temp = home.resolve("config.yml.tmp");
    Files.deleteIfExists(temp);
    Files.createFile(
        temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(
        temp,
        "# Written by the Bosun server. It holds your token: keep it private.\n"
            + YAML.writeValueAsString(config));
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
