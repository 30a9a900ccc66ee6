package dev.bosun.server.fleet;

/**
 * Finds (and if needed starts) the agent of one instance. Implementations: the local fleet's
 * process today, SSH hosts through port forwarding later. Must be safe to call again after a
 * failure.
 */
public interface AgentLocator {
  /** An endpoint to reach the agent; throws when it cannot be reached or started now. */
  AgentEndpoint locate() throws Exception;

  /** Short description for logs ({@code local agent at ~/.bosun/agent}). */
  String describe();
}
