package dev.bosun.api.agent;

import dev.bosun.model.host.HostResources;

/**
 * What an agent says about itself.
 *
 * @param protocolVersion {@link AgentProtocol#VERSION}
 * @param agentVersion the Bosun version of the agent
 * @param bootId a random id chosen at each agent start; a new one means job versions restarted
 * @param resources what the host offers
 * @param sshPort the loopback port of the agent's SSH server into running jobs, or null (older
 *     agents)
 * @param sshHostKey that server's public key ({@code ssh-ed25519 AAAA…}), for known_hosts, or null
 */
public record AgentInfo(
    String protocolVersion,
    String agentVersion,
    String bootId,
    HostResources resources,
    Integer sshPort,
    String sshHostKey) {
  /** An agent without an SSH server. */
  public AgentInfo(
      String protocolVersion, String agentVersion, String bootId, HostResources resources) {
    this(protocolVersion, agentVersion, bootId, resources, null, null);
  }
}
