package dev.bosun.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the CLI finds its server: flags, then {@code BOSUN_SERVER_URL}/{@code BOSUN_TOKEN}/{@code
 * BOSUN_PROJECT}, then {@code $BOSUN_HOME/config.yml} (default {@code ~/.bosun}), then the local
 * default.
 */
public record CliConfig(
    Path home, URI server, String token, String project, boolean serverIsDefault) {
  public static final String DEFAULT_SERVER = "http://127.0.0.1:3000";

  public static Path defaultHome() {
    String env = System.getenv("BOSUN_HOME");
    return env != null && !env.isBlank()
        ? Path.of(env)
        : Path.of(System.getProperty("user.home"), ".bosun");
  }

  public static CliConfig load(String serverFlag, String tokenFlag, String projectFlag) {
    Path home = defaultHome();
    Map<?, ?> file = readFile(home.resolve("config.yml"));
    String server = first(serverFlag, System.getenv("BOSUN_SERVER_URL"), text(file.get("server")));
    String token = first(tokenFlag, System.getenv("BOSUN_TOKEN"), text(file.get("token")));
    String project = first(projectFlag, System.getenv("BOSUN_PROJECT"), text(file.get("project")));
    boolean isDefault = serverFlag == null && System.getenv("BOSUN_SERVER_URL") == null;
    return new CliConfig(
        home,
        serverUri(server == null ? DEFAULT_SERVER : server),
        token,
        project == null ? "main" : project,
        isDefault);
  }

  private static String text(Object value) {
    return value == null ? null : String.valueOf(value);
  }

  private static URI serverUri(String text) {
    try {
      URI uri = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null) {
        return uri;
      }
    } catch (java.net.URISyntaxException e) {
      // reported below
    }
    throw new CliException(
        ExitCodes.USAGE,
        "the server URL '"
            + text
            + "' is not valid; expected http://HOST:PORT (from --server, BOSUN_SERVER_URL or"
            + " config.yml)");
  }

  private static Map<?, ?> readFile(Path file) {
    if (!Files.exists(file)) {
      return Map.of();
    }
    try {
      Object value = new ObjectMapper(new YAMLFactory()).readValue(file.toFile(), Object.class);
      return value instanceof Map<?, ?> map ? map : Map.of();
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.USAGE,
          "cannot read " + file + ": " + e.getMessage() + "; fix or remove the file");
    }
  }

  private static String first(String... values) {
    for (String value : values) {
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return null;
  }

  /** True when the server is on this machine, so the CLI may start it. */
  public boolean serverIsLocal() {
    String host = server.getHost();
    return "127.0.0.1".equals(host) || "localhost".equals(host) || "[::1]".equals(host);
  }
}
