package dev.bosun.agent;

/**
 * The agent could not start: its data directory is in use by another agent, unusable, or the
 * address is refused.
 */
public final class AgentStartException extends RuntimeException {
  public AgentStartException(String message) {
    super(message);
  }

  public AgentStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
