package dev.bosun.server.fleet.hosts;

/**
 * A host cannot run the agent until someone changes something (no Java 21, no sudo, no disk, not
 * Linux): the message says what to do. Trying again without a change would fail the same way.
 */
public final class ProvisioningException extends RuntimeException {
  public ProvisioningException(String message) {
    super(message);
  }
}
