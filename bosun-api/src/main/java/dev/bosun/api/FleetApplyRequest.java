package dev.bosun.api;

/**
 * Apply (or preview) a fleet file.
 *
 * @param configuration the YAML text of the file
 * @param fileName the file's name, for error messages
 * @param baseDirectory the directory relative {@code identity_file} paths are resolved against (the
 *     CLI sends the file's directory; {@code ~} is the server's home, which is the same machine
 *     when the CLI started the server)
 */
public record FleetApplyRequest(
    String configuration,
    String fileName,
    String baseDirectory,
    java.util.Map<String, String> clientEnv) {
  public FleetApplyRequest {
    clientEnv = clientEnv == null ? java.util.Map.of() : java.util.Map.copyOf(clientEnv);
  }
}
