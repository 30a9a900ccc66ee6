package dev.bosun.agent;

import dev.bosun.agent.docker.DockerClient;
import dev.bosun.api.agent.AgentInfo;
import dev.bosun.api.agent.AgentProtocol;
import dev.bosun.model.host.HostResources;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host agent's entry point: {@code AgentMain [--data-dir DIR] [--host ADDR] [--port N]
 * [--allow-remote]}.
 *
 * <p>SIGTERM or SIGINT stop it cleanly (jobs keep running and a later agent recovers them). Exit
 * codes: 1 when the agent cannot start (e.g. another agent holds the data directory), 2 for bad
 * arguments.
 */
public final class AgentMain {
  private static final Logger LOG = LoggerFactory.getLogger(AgentMain.class);

  private AgentMain() {}

  public static void main(String[] args) {
    AgentOptions options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bosun-agent: " + e.getMessage());
      System.err.println(
          "usage: bosun-agent [--data-dir DIR] [--host ADDR] [--port N] [--allow-remote]");
      System.exit(2);
      return;
    }
    AgentHandle handle;
    try {
      handle = start(options);
    } catch (AgentStartException e) {
      System.err.println("bosun-agent: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(handle::close, "bosun-agent-shutdown"));
    try {
      handle.awaitClose();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      handle.close();
    }
  }

  /**
   * Starts an agent: takes the data directory's lock, creates or reads its token, recovers the jobs
   * recorded there, listens, then writes {@code agent.json}.
   *
   * @throws AgentStartException when another agent holds the data directory, the host is refused,
   *     or the directory or the port cannot be used
   */
  public static AgentHandle start(AgentOptions options) {
    checkHost(options);
    DataDirectory dataDirectory = DataDirectory.open(options.dataDir());
    JobService jobs = null;
    AgentHttpServer server = null;
    dev.bosun.agent.ssh.JobSshServer ssh = null;
    try {
      String bootId = UUID.randomUUID().toString();
      SearchPath searchPath = SearchPath.of(options.environment());
      HostResources detected = new HostDetector(options.dataDir(), searchPath).detect();
      // one client of the Docker daemon for the host's probe and the SSH server's container
      // sessions
      Supplier<DockerClient> dockerClient =
          DockerClient.lazy(options.environment().get("DOCKER_HOST"));
      ContainerRuntimes.Probe docker = new ContainerRuntimes.Probe(dockerClient, detected.gpus());
      HostResources resources = detected.withContainers(docker.now());
      jobs =
          new JobService(
              dataDirectory.jobsDir(),
              options.environment(),
              searchPath,
              options.clock(),
              bootId,
              resources.gpus());
      jobs.recover();
      dev.bosun.agent.ssh.JobKeys keys = new dev.bosun.agent.ssh.JobKeys();
      dev.bosun.agent.ssh.JobSshServer started = null;
      try {
        started =
            dev.bosun.agent.ssh.JobSshServer.start(
                dev.bosun.agent.ssh.JobSshServer.Settings.of(
                    options.dataDir(),
                    new JobSshTargets(jobs, options.environment()),
                    keys,
                    dockerClient));
      } catch (IOException | RuntimeException e) {
        LOG.warn("no SSH into jobs on this host: {}", e.getMessage());
      }
      ssh = started;
      if (ssh != null) {
        InactivityWatch.start(jobs, InactivityWatch.Sessions.of(ssh), options.clock());
      }
      Integer sshPort = ssh == null ? null : ssh.port();
      String sshHostKey = ssh == null ? null : ssh.hostKey();
      server =
          AgentHttpServer.start(
              options.host(),
              options.port(),
              dataDirectory.token(),
              jobs,
              keys,
              () ->
                  new AgentInfo(
                      AgentProtocol.VERSION,
                      version(),
                      bootId,
                      detected.withContainers(docker.now()),
                      sshPort,
                      sshHostKey));
      dataDirectory.writeAgentFile(ProcessHandle.current().pid(), server.port(), version(), bootId);
      LOG.info(
          "agent {} listening on {} with data directory {} (boot {})",
          version(),
          server.baseUri(),
          options.dataDir(),
          bootId);
      return new AgentHandle(server, jobs, dataDirectory, bootId, resources, ssh);
    } catch (IOException | RuntimeException e) {
      if (server != null) {
        server.close();
      }
      if (ssh != null) {
        ssh.close();
      }
      if (jobs != null) {
        jobs.close();
      }
      dataDirectory.close();
      if (e instanceof AgentStartException start) {
        throw start;
      }
      throw new AgentStartException("cannot start the agent: " + e.getMessage(), e);
    }
  }

  /** The Bosun version of this agent, from the build. */
  public static String version() {
    try (InputStream in = AgentMain.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        Properties properties = new Properties();
        properties.load(in);
        String version = properties.getProperty("version", "");
        if (!version.isBlank() && !version.startsWith("${")) {
          return version;
        }
      }
    } catch (IOException e) {
      LOG.debug("cannot read version.properties", e);
    }
    return "dev";
  }

  static AgentOptions parse(String[] args) {
    AgentOptions options = AgentOptions.defaults(AgentOptions.defaultDataDir());
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      boolean inline = arg.contains("=");
      switch (name) {
        case "--allow-remote" -> options = options.withHost(options.host(), true);
        case "--data-dir", "--host", "--port" -> {
          String value;
          if (inline) {
            value = arg.substring(arg.indexOf('=') + 1);
          } else if (i + 1 < args.length) {
            value = args[++i];
          } else {
            throw new IllegalArgumentException(name + " needs a value");
          }
          options =
              switch (name) {
                case "--data-dir" ->
                    new AgentOptions(
                        Path.of(value),
                        options.host(),
                        options.port(),
                        options.allowRemote(),
                        options.environment(),
                        options.clock());
                case "--host" -> options.withHost(value, options.allowRemote());
                default -> options.withPort(parsePort(value));
              };
        }
        default -> throw new IllegalArgumentException("unknown argument " + arg);
      }
    }
    return options;
  }

  private static int parsePort(String value) {
    try {
      int port = Integer.parseInt(value);
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("--port must be between 0 and 65535, got " + value);
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--port must be a number, got " + value);
    }
  }

  private static void checkHost(AgentOptions options) {
    InetAddress address;
    try {
      address = InetAddress.getByName(options.host());
    } catch (UnknownHostException e) {
      throw new AgentStartException("cannot resolve --host " + options.host());
    }
    if (!address.isLoopbackAddress() && !options.allowRemote()) {
      throw new AgentStartException(
          "refusing to listen on "
              + options.host()
              + ", which is not a loopback address: agents listen on loopback only unless --allow-remote is given");
    }
  }
}
