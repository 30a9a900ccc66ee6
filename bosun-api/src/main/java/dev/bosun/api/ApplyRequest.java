package dev.bosun.api;

import java.util.Map;

/**
 * Submit (or preview) a run from a configuration file.
 *
 * @param configuration the YAML text of the file
 * @param fileName the file's name, for error messages
 * @param clientEnv values for {@code env} entries given without a value ({@code - HF_TOKEN}), taken
 *     from the submitter's environment
 * @param name the run's name when the file has none (as shown by the plan); null lets the server
 *     choose
 */
public record ApplyRequest(
    String configuration, String fileName, Map<String, String> clientEnv, String name) {
  public ApplyRequest {
    clientEnv = clientEnv == null ? Map.of() : Map.copyOf(clientEnv);
  }
}
