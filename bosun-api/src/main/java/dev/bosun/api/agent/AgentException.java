package dev.bosun.api.agent;

/**
 * A call to a host agent did not succeed. Either the agent could not be reached ({@link
 * AgentUnreachableException}) or it answered with an error ({@link AgentRequestException}); callers
 * decide by type, never by message.
 */
public abstract sealed class AgentException extends RuntimeException
    permits AgentUnreachableException, AgentRequestException {
  AgentException(String message, Throwable cause) {
    super(message, cause);
  }
}
