package dev.bosun.server.fleet.hosts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bosun.api.Json;
import dev.bosun.model.config.IpAddressGrammar;
import dev.bosun.model.config.IpNetwork;
import dev.bosun.server.fleet.AgentEndpoint;
import dev.bosun.server.fleet.AgentLocator;
import dev.bosun.server.fleet.ssh.ExecResult;
import dev.bosun.server.fleet.ssh.HostKeyPolicy;
import dev.bosun.server.fleet.ssh.LocalForward;
import dev.bosun.server.fleet.ssh.Shell;
import dev.bosun.server.fleet.ssh.SshConnector;
import dev.bosun.server.fleet.ssh.SshException;
import dev.bosun.server.fleet.ssh.SshSession;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provisions an SSH host and finds its agent: connects (host key checked), checks the host (Linux,
 * sudo, free disk, a Java 21+), uploads the Bosun jar only when its checksum differs, starts the
 * agent under a small supervisor that outlives the SSH session, and forwards a local port over the
 * one long-lived SSH connection to the agent, which listens on the host's loopback only.
 */
public final class SshAgentLocator implements AgentLocator {
  private static final Logger LOG = LoggerFactory.getLogger(SshAgentLocator.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration AGENT_START_TIMEOUT = Duration.ofSeconds(60);

  private final HostSettings settings;
  private final SshConnector connector;
  private final HostKeyPolicy policy;
  private final AgentJar jar;
  private final Consumer<String> progress;
  private SshSession session;
  private LocalForward forward;
  // host loopback port -> its forward: each service's port and the agent's SSH server keep their
  // own, so that reaching one does not close another's (whose local port callers keep using)
  private final java.util.Map<Integer, LocalForward> portForwards = new java.util.HashMap<>();
  private AgentEndpoint endpoint;

  public SshAgentLocator(
      HostSettings settings,
      SshConnector connector,
      HostKeyPolicy policy,
      AgentJar jar,
      Consumer<String> progress) {
    this.settings = settings;
    this.connector = connector;
    this.policy = policy;
    this.jar = jar;
    this.progress = progress;
  }

  @Override
  public synchronized AgentEndpoint locate() throws IOException, InterruptedException {
    if (session != null && session.isOpen()) {
      return reattach(); // the host is there; its agent may have restarted on another port
    }
    closeQuietly();
    progress.accept("connecting");
    session = connector.connect(settings.target(CONNECT_TIMEOUT), policy);
    String sudo = "root".equals(settings.user()) ? "" : "sudo -n ";
    progress.accept("checking the host");
    String java = check(sudo);
    progress.accept("installing the agent");
    boolean upgraded = install(sudo, java);
    progress.accept("starting the agent");
    if (upgraded) {
      root(
          sudo,
          "pkill -f '[d]ev.bosun.agent.AgentMain --data-dir " + RemoteAgent.DATA + "' || true");
    }
    root(sudo, RemoteAgent.START);
    JsonNode agent = awaitAgent(sudo);
    String token = root(sudo, "cat " + RemoteAgent.DATA + "/token").stdout().trim();
    forward = session.forward(agent.path("port").asInt());
    endpoint = new AgentEndpoint(URI.create("http://127.0.0.1:" + forward.localPort()), token);
    progress.accept("detecting resources");
    LOG.info(
        "host {}: agent reachable through local port {}", settings.address(), forward.localPort());
    return endpoint;
  }

  /** Over the open session: make sure the supervisor runs, and follow the agent to its port. */
  private AgentEndpoint reattach() throws IOException, InterruptedException {
    String sudo = "root".equals(settings.user()) ? "" : "sudo -n ";
    root(sudo, RemoteAgent.START);
    JsonNode agent = awaitAgent(sudo);
    int port = agent.path("port").asInt();
    if (forward == null || !forward.isOpen() || forward.remotePort() != port) {
      if (forward != null) {
        forward.close();
      }
      forward = session.forward(port);
      String token = root(sudo, "cat " + RemoteAgent.DATA + "/token").stdout().trim();
      endpoint = new AgentEndpoint(URI.create("http://127.0.0.1:" + forward.localPort()), token);
      LOG.info("host {}: agent now on port {}", settings.address(), port);
    }
    return endpoint;
  }

  private String check(String sudo) {
    ExecResult os = session.exec("uname -s; uname -m", COMMAND_TIMEOUT);
    if (!os.stdout().startsWith("Linux")) {
      throw new ProvisioningException(
          "host " + settings.address() + " is not Linux (" + os.stdout().trim() + ")");
    }
    if (!sudo.isEmpty() && session.exec("sudo -n true", COMMAND_TIMEOUT).exitStatus() != 0) {
      throw new ProvisioningException(
          "user "
              + settings.user()
              + " cannot use sudo without a password on "
              + settings.address()
              + "; allow it (e.g. '"
              + settings.user()
              + " ALL=(ALL) NOPASSWD:ALL' in /etc/sudoers.d/bosun) or connect as root");
    }
    ExecResult disk =
        session.exec(
            "d="
                + RemoteAgent.HOME
                + "; [ -d $d ] || d=/var/lib; df -Pk $d | awk 'NR==2 {print $4}'",
            COMMAND_TIMEOUT);
    long freeKb = parseLong(disk.stdout().trim());
    if (freeKb >= 0 && freeKb < RemoteAgent.MIN_FREE_DISK_KB) {
      throw new ProvisioningException(
          "host "
              + settings.address()
              + " has only "
              + freeKb / 1024
              + " MB free for "
              + RemoteAgent.HOME
              + "; the agent needs at least "
              + RemoteAgent.MIN_FREE_DISK_KB / 1024
              + " MB");
    }
    ExecResult java = session.exec("sh -c " + Shell.quote(RemoteAgent.FIND_JAVA), COMMAND_TIMEOUT);
    if (java.exitStatus() != 0 || java.stdout().isBlank()) {
      throw new ProvisioningException(
          "host "
              + settings.address()
              + " has no Java 21 or newer; install one (e.g. sudo apt-get install -y"
              + " openjdk-21-jre-headless) and apply the fleet again");
    }
    return java.stdout().trim();
  }

  /**
   * Uploads the jar when its checksum differs and writes the supervisor; true if the jar changed.
   */
  private boolean install(String sudo, String java) throws IOException {
    root(sudo, "mkdir -p " + RemoteAgent.DATA + " && chmod 700 " + RemoteAgent.HOME);
    String remote =
        root(sudo, "sha256sum " + RemoteAgent.JAR + " 2>/dev/null | cut -d' ' -f1 || true")
            .stdout()
            .trim();
    boolean upgrade = !remote.equals(jar.sha256());
    if (upgrade) {
      String temp = "/tmp/bosun-agent-" + jar.sha256().substring(0, 12) + ".jar";
      session.upload(jar.path(), temp, 0644);
      root(sudo, "mv " + temp + " " + RemoteAgent.JAR);
    }
    byte[] script = RemoteAgent.supervisor(java).getBytes(StandardCharsets.UTF_8);
    ExecResult written =
        session.exec(
            sudo
                + "sh -c "
                + Shell.quote(
                    "cat > " + RemoteAgent.SUPERVISOR + " && chmod 755 " + RemoteAgent.SUPERVISOR),
            script,
            COMMAND_TIMEOUT);
    requireOk(written, "write the agent's supervisor");
    return upgrade;
  }

  private JsonNode awaitAgent(String sudo) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + AGENT_START_TIMEOUT.toNanos();
    String check =
        "f="
            + RemoteAgent.DATA
            + "/agent.json; [ -f $f ] && cat $f && kill -0 \"$(sed -n"
            + " 's/.*\"pid\":\\([0-9]*\\).*/\\1/p' $f)\"";
    while (System.nanoTime() < deadline) {
      ExecResult result = session.exec(sudo + "sh -c " + Shell.quote(check), COMMAND_TIMEOUT);
      if (result.exitStatus() == 0 && !result.stdout().isBlank()) {
        return Json.mapper().readTree(result.stdout());
      }
      Thread.sleep(200);
    }
    String log =
        root(sudo, "tail -n 5 " + RemoteAgent.HOME + "/agent.log 2>/dev/null || true").stdout();
    throw new IOException(
        "the agent on "
            + settings.address()
            + " did not start within "
            + AGENT_START_TIMEOUT.toSeconds()
            + " s; its log ends with: "
            + log.strip());
  }

  private ExecResult root(String sudo, String script) {
    return requireOk(session.exec(sudo + "sh -c " + Shell.quote(script), COMMAND_TIMEOUT), script);
  }

  private ExecResult requireOk(ExecResult result, String what) {
    if (result.exitStatus() != 0) {
      throw new SshException(
          SshException.Reason.COMMAND_FAILED,
          "on "
              + settings.address()
              + ", '"
              + what.lines().findFirst().orElse(what)
              + "' failed ("
              + result.exitStatus()
              + "): "
              + result.stderr().strip());
    }
    return result;
  }

  private static long parseLong(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public String describe() {
    return "agent on " + settings.address() + " over SSH";
  }

  @Override
  public void validate(dev.bosun.model.host.HostResources resources) {
    int gpus = resources.gpus().size();
    if (settings.blocks() > 1 && gpus > 0 && gpus % settings.blocks() != 0) {
      throw new ProvisioningException(
          "blocks: "
              + settings.blocks()
              + " does not divide the "
              + gpus
              + " GPUs of host "
              + settings.address()
              + " evenly; use a divisor of "
              + gpus
              + " or blocks: auto");
    }
    if (settings.internalIp() == null
        && settings.network() != null
        && addressInNetwork(resources).isEmpty()) {
      throw new ProvisioningException(
          "host "
              + settings.address()
              + " has no address in network "
              + settings.network()
              + " (its addresses: "
              + (resources.addresses().isEmpty()
                  ? "none"
                  : String.join(", ", resources.addresses()))
              + "); fix ssh_config.network or give the host an internal_ip");
    }
  }

  /**
   * The address other hosts of the fleet reach this one on: {@code internal_ip} when the file gives
   * one, else its address in the fleet's {@code network}, else the address the server reaches it on
   * when that is an IP address, else the agent's first address.
   */
  @Override
  public dev.bosun.model.host.HostResources adjust(dev.bosun.model.host.HostResources reported) {
    String ip = settings.internalIp();
    if (ip == null) {
      ip = addressInNetwork(reported).orElse(null);
    }
    if (ip == null && IpAddressGrammar.isAddress(settings.hostname())) {
      ip = settings.hostname();
    }
    if (ip == null && (reported.internalIp() == null || reported.internalIp().startsWith("127."))) {
      ip = settings.hostname();
    }
    return ip == null ? reported : reported.withInternalIp(ip);
  }

  /** The host's address in the fleet's network; empty when there is no network or no match. */
  private java.util.Optional<String> addressInNetwork(
      dev.bosun.model.host.HostResources resources) {
    if (settings.network() == null) {
      return java.util.Optional.empty();
    }
    IpNetwork network = IpNetwork.parse(settings.network());
    return resources.addresses().stream().filter(network::contains).findFirst();
  }

  @Override
  public synchronized boolean isHostLost() {
    return session == null || !session.isOpen();
  }

  @Override
  public boolean isExpectedFailure(Exception failure) {
    return failure instanceof SshException || failure instanceof ProvisioningException;
  }

  @Override
  public boolean isPermanent(Exception failure) {
    return failure instanceof ProvisioningException
        || failure instanceof SshException ssh && !ssh.isTransient();
  }

  /**
   * Stops what Bosun runs on the host (the supervisor and the agent); the jobs are already ended.
   */
  public synchronized void uninstall() {
    try {
      if (session == null || !session.isOpen()) {
        session = connector.connect(settings.target(CONNECT_TIMEOUT), policy);
      }
      String sudo = "root".equals(settings.user()) ? "" : "sudo -n ";
      String jobs = "'[/]" + RemoteAgent.DATA.substring(1) + "/jobs/'";
      // A job's wrapper leads its own process group (setsid): kill the whole group, as the agent
      // does, or what the job started (not naming the job's directory) would be left running.
      root(
          sudo,
          RemoteAgent.REMOVE_UNIT
              + "[ -f "
              + RemoteAgent.SUPERVISOR_PID
              + " ] && kill \"$(cat "
              + RemoteAgent.SUPERVISOR_PID
              + ")\" 2>/dev/null; pkill -f '[d]ev.bosun.agent.AgentMain' || true;"
              + " for p in $(pgrep -f "
              + jobs
              + "); do [ \"$(ps -o pgid= -p \"$p\" | tr -d ' ')\" = \"$p\" ] && kill -KILL"
              + " \"-$p\"; done; pkill -KILL -f "
              + jobs
              + " || true; rm -rf "
              + RemoteAgent.HOME);
    } catch (RuntimeException e) {
      LOG.warn("host {}: could not remove the agent: {}", settings.address(), e.getMessage());
    } finally {
      close();
    }
  }

  /** The host's loopback port, forwarded over this locator's SSH connection (kept open). */
  @Override
  public synchronized java.net.InetSocketAddress reach(int hostLoopbackPort)
      throws java.io.IOException {
    if (session == null || !session.isOpen()) {
      throw new java.io.IOException("not connected to " + settings.address());
    }
    LocalForward existing = portForwards.get(hostLoopbackPort);
    if (existing == null || !existing.isOpen()) {
      if (existing != null) {
        existing.close();
      }
      existing = session.forward(hostLoopbackPort);
      portForwards.put(hostLoopbackPort, existing);
    }
    return new java.net.InetSocketAddress("127.0.0.1", existing.localPort());
  }

  @Override
  public synchronized void close() {
    closeQuietly();
  }

  private void closeQuietly() {
    endpoint = null;
    if (forward != null) {
      forward.close();
      forward = null;
    }
    portForwards.values().forEach(LocalForward::close);
    portForwards.clear();
    if (session != null) {
      session.close();
      session = null;
    }
  }

  Path jarPath() {
    return jar.path();
  }
}
