package dev.bosun.api.agent;

/**
 * The agent could not be reached or did not answer in time: connection refused, timeout, broken
 * connection.
 */
public final class AgentUnreachableException extends AgentException {
  public AgentUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
