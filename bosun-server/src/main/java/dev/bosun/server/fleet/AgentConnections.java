package dev.bosun.server.fleet;

import dev.bosun.api.agent.AgentClient;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The live agent connections, by instance id. */
public final class AgentConnections implements AutoCloseable {
  private final Map<String, AgentConnection> byInstance = new ConcurrentHashMap<>();

  public void add(AgentConnection connection) {
    byInstance.put(connection.instanceId(), connection);
    connection.start();
  }

  /** The client of the instance's agent if it is connected now. */
  public Optional<AgentClient> client(String instanceId) {
    AgentConnection connection = byInstance.get(instanceId);
    return connection == null ? Optional.empty() : Optional.ofNullable(connection.client());
  }

  @Override
  public void close() {
    byInstance.values().forEach(AgentConnection::close);
  }
}
