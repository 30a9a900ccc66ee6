package dev.bosun.api.agent;

import dev.bosun.model.host.HostResources;

/**
 * What an agent says about itself.
 *
 * @param protocolVersion {@link AgentProtocol#VERSION}
 * @param agentVersion the Bosun version of the agent
 * @param bootId a random id chosen at each agent start; a new one means job versions restarted
 * @param resources what the host offers
 */
public record AgentInfo(
    String protocolVersion, String agentVersion, String bootId, HostResources resources) {}
