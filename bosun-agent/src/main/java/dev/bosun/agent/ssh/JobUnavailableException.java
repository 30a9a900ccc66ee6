package dev.bosun.agent.ssh;

/**
 * No SSH session may enter a job now (unknown, not running, or a container this agent cannot
 * enter); the message says why and is shown to the SSH client.
 */
public final class JobUnavailableException extends Exception {
  public JobUnavailableException(String message) {
    super(message);
  }

  public JobUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
