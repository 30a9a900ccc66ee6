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

  /**
   * Whether the agent's host itself is lost now (not just its agent): jobs on a lost SSH host are
   * failed with {@code instance_unreachable} (and retried elsewhere if their run allows), while an
   * agent that merely died is restarted and recovers its jobs. The local host is never lost.
   */
  default boolean isHostLost() {
    return false;
  }

  /**
   * Whether a failure to locate the agent needs someone to change something (a refused key, no Java
   * on the host) rather than time: before the first success such a failure ends provisioning.
   */
  default boolean isPermanent(Exception failure) {
    return false;
  }

  /**
   * Checks what the agent reported against the host's settings (e.g. that {@code blocks} divides
   * its GPUs); throws {@link dev.bosun.server.fleet.hosts.ProvisioningException} with the reason.
   */
  default void validate(dev.bosun.model.host.HostResources resources) {}

  /**
   * What the server records of the host: the agent's report, with settings the fleet file gives (an
   * SSH host's {@code internal_ip}) taking precedence.
   */
  default dev.bosun.model.host.HostResources adjust(dev.bosun.model.host.HostResources reported) {
    return reported;
  }

  /**
   * Where this server reaches a port the agent's host serves on its loopback (the agent's SSH
   * server into jobs): the port itself for an agent on this machine.
   */
  default java.net.InetSocketAddress reach(int hostLoopbackPort) throws java.io.IOException {
    return new java.net.InetSocketAddress("127.0.0.1", hostLoopbackPort);
  }

  /** Releases what the locator holds (an SSH session, a forwarded port). */
  default void close() {}

  /**
   * Whether a failure to reach the agent is one the locator expects (a host that cannot be
   * reached), logged in one line rather than with a stack trace.
   */
  default boolean isExpectedFailure(Exception failure) {
    return false;
  }
}
