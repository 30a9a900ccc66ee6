package dev.bosun.agent;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;

/**
 * How to start an agent.
 *
 * @param dataDir where the agent keeps its token, lock and job records ({@code ~/.bosun/agent} by
 *     default)
 * @param host the address to listen on; must be a loopback address unless {@code allowRemote}
 * @param port the port to listen on, 0 for any free port
 * @param allowRemote whether a non-loopback {@code host} is accepted
 * @param environment the environment jobs inherit; its {@code PATH} is also where the agent looks
 *     for {@code nvidia-smi}, shells, {@code setsid} and {@code kill}
 * @param clock the time source for job timestamps, log lines and deadlines
 */
public record AgentOptions(
    Path dataDir,
    String host,
    int port,
    boolean allowRemote,
    Map<String, String> environment,
    InstantSource clock) {
  public static final String DEFAULT_HOST = "127.0.0.1";

  public AgentOptions {
    Objects.requireNonNull(dataDir, "dataDir is null");
    Objects.requireNonNull(host, "host is null");
    Objects.requireNonNull(environment, "environment is null");
    Objects.requireNonNull(clock, "clock is null");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
    }
    dataDir = dataDir.toAbsolutePath().normalize();
    environment = Map.copyOf(environment);
  }

  /** Loopback, any free port, this process's environment, the system clock. */
  public static AgentOptions defaults(Path dataDir) {
    return new AgentOptions(
        dataDir, DEFAULT_HOST, 0, false, System.getenv(), InstantSource.system());
  }

  /** The default data directory, {@code ~/.bosun/agent}. */
  public static Path defaultDataDir() {
    return Path.of(System.getProperty("user.home"), ".bosun", "agent");
  }

  public AgentOptions withHost(String newHost, boolean newAllowRemote) {
    return new AgentOptions(dataDir, newHost, port, newAllowRemote, environment, clock);
  }

  public AgentOptions withPort(int newPort) {
    return new AgentOptions(dataDir, host, newPort, allowRemote, environment, clock);
  }

  public AgentOptions withEnvironment(Map<String, String> newEnvironment) {
    return new AgentOptions(dataDir, host, port, allowRemote, newEnvironment, clock);
  }

  public AgentOptions withClock(InstantSource newClock) {
    return new AgentOptions(dataDir, host, port, allowRemote, environment, newClock);
  }
}
