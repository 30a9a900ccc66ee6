package dev.bosun.agent.docker;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Credentials for a registry, sent to Docker with a pull in the {@code X-Registry-Auth} header:
 * base64url of {@code {"username":..., "password":..., "serveraddress":...}}. Docker hands them to
 * the registry only when the registry asks for them.
 *
 * @param username the registry user
 * @param password the password or token
 * @param serverAddress the registry, e.g. {@code ghcr.io} or {@code 127.0.0.1:5000}; may be empty
 */
public record RegistryAuth(String username, String password, String serverAddress) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public RegistryAuth {
    requireNonNull(username, "username is null");
    requireNonNull(password, "password is null");
    serverAddress = serverAddress == null ? "" : serverAddress;
  }

  /** The value of the {@code X-Registry-Auth} header. */
  String header() {
    ObjectNode auth = JSON.createObjectNode();
    auth.put("username", username);
    auth.put("password", password);
    auth.put("serveraddress", serverAddress);
    return Base64.getUrlEncoder().encodeToString(auth.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Never shows the password. */
  @Override
  public String toString() {
    return "RegistryAuth[username=" + username + ", serverAddress=" + serverAddress + "]";
  }
}
