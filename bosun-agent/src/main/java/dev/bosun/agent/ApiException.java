package dev.bosun.agent;

import dev.bosun.api.agent.AgentError;

/** A request the agent refuses, with the HTTP status and {@link AgentError} it answers with. */
final class ApiException extends RuntimeException {
  private final int status;
  private final String code;

  private ApiException(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, "bad_request", message);
  }

  static ApiException unauthorized(String message) {
    return new ApiException(401, "unauthorized", message);
  }

  static ApiException notFound(String message) {
    return new ApiException(404, "not_found", message);
  }

  static ApiException methodNotAllowed(String message) {
    return new ApiException(405, "method_not_allowed", message);
  }

  static ApiException conflict(String message) {
    return new ApiException(409, "conflict", message);
  }

  static ApiException unavailable(String message) {
    return new ApiException(503, "unavailable", message);
  }

  int status() {
    return status;
  }

  AgentError error() {
    return new AgentError(getMessage(), code);
  }
}
