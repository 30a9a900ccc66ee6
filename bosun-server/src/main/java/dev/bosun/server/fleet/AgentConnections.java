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

  /** Stops following an instance's agent (its host left the fleet). */
  public void remove(String instanceId) {
    AgentConnection connection = byInstance.remove(instanceId);
    if (connection != null) {
      connection.close();
    }
  }

  /** Tries to reach the instance's agent again now rather than after its back-off. */
  public void retryNow(String instanceId) {
    AgentConnection connection = byInstance.get(instanceId);
    if (connection != null) {
      connection.retryNow();
    }
  }

  public boolean has(String instanceId) {
    return byInstance.containsKey(instanceId);
  }

  /** The client of the instance's agent if it is connected now. */
  public Optional<AgentClient> client(String instanceId) {
    AgentConnection connection = byInstance.get(instanceId);
    return connection == null ? Optional.empty() : Optional.ofNullable(connection.client());
  }

  /** The instance's connection if its agent is connected now. */
  public Optional<AgentConnection> connected(String instanceId) {
    AgentConnection connection = byInstance.get(instanceId);
    return connection == null || connection.client() == null
        ? Optional.empty()
        : Optional.of(connection);
  }

  @Override
  public void close() {
    byInstance.values().forEach(AgentConnection::close);
  }
}
