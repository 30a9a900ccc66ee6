package dev.bosun.api.agent;

/**
 * The agent answered with an HTTP status of 400 or above.
 *
 * <p>{@link #code()} is the agent's {@link AgentError#code()} ({@code unauthorized}, {@code
 * not_found}, {@code bad_request}, {@code conflict}, {@code internal}), or {@code http_<status>}
 * when the body was not an agent error.
 */
public final class AgentRequestException extends AgentException {
  private final int statusCode;
  private final String code;
  private final String agentMessage;

  public AgentRequestException(int statusCode, String code, String agentMessage) {
    super(agentMessage + " (HTTP " + statusCode + ", " + code + ")", null);
    this.statusCode = statusCode;
    this.code = code;
    this.agentMessage = agentMessage;
  }

  /** The HTTP status code. */
  public int statusCode() {
    return statusCode;
  }

  /** The agent's error code. */
  public String code() {
    return code;
  }

  /** The agent's sentence about the error, without status and code. */
  public String agentMessage() {
    return agentMessage;
  }
}
