package dev.bosun.api.agent;

import java.util.Objects;

/**
 * The body of every agent response with a status of 400 or above.
 *
 * @param error a human sentence saying what went wrong
 * @param code a stable machine-readable code, e.g. {@code unauthorized}, {@code not_found}, {@code
 *     bad_request}, {@code conflict}, {@code internal}
 */
public record AgentError(String error, String code) {
  public AgentError {
    Objects.requireNonNull(error, "error is null");
    Objects.requireNonNull(code, "code is null");
  }
}
