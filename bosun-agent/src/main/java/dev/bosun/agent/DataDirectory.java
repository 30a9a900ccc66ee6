package dev.bosun.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bosun.api.Json;
import dev.bosun.api.agent.AgentProtocol;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's data directory: {@code token} (0600), {@code agent.lock} (held while the agent runs,
 * so two agents never share a directory), {@code agent.json} (how to reach the running agent) and
 * {@code jobs/}.
 */
final class DataDirectory implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);
  private static final int TOKEN_BYTES = 32;

  private final Path root;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final String token;

  private DataDirectory(Path root, FileChannel lockChannel, FileLock lock, String token) {
    this.root = root;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.token = token;
  }

  /** Creates the directory if needed, takes its lock and reads or creates the token. */
  static DataDirectory open(Path root) {
    try {
      createPrivateDirectory(root);
      Files.createDirectories(root.resolve("jobs"));
    } catch (IOException e) {
      throw new AgentStartException(
          "cannot create the data directory " + root + ": " + e.getMessage(), e);
    }
    FileChannel channel = null;
    try {
      channel =
          FileChannel.open(
              root.resolve("agent.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new AgentStartException(
            "another Bosun agent"
                + runningAgentDescription(root)
                + " is already running on the data directory "
                + root);
      }
      return new DataDirectory(root, channel, lock, readOrCreateToken(root.resolve("token")));
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      if (e instanceof AgentStartException start) {
        throw start;
      }
      throw new AgentStartException(
          "cannot use the data directory " + root + ": " + e.getMessage(), e);
    }
  }

  Path root() {
    return root;
  }

  Path jobsDir() {
    return root.resolve("jobs");
  }

  String token() {
    return token;
  }

  /** Writes {@code agent.json}, atomically. */
  void writeAgentFile(long pid, int port, String agentVersion, String bootId) throws IOException {
    Map<String, Object> agent = new LinkedHashMap<>();
    agent.put("pid", pid);
    agent.put("port", port);
    agent.put("protocol_version", AgentProtocol.VERSION);
    agent.put("agent_version", agentVersion);
    agent.put("boot_id", bootId);
    AtomicFileWriter.write(root.resolve("agent.json"), Json.mapper().writeValueAsString(agent));
  }

  /** Removes {@code agent.json} and releases the lock. */
  @Override
  public void close() {
    try {
      Files.deleteIfExists(root.resolve("agent.json"));
    } catch (IOException e) {
      LOG.warn("cannot remove {}: {}", root.resolve("agent.json"), e.toString());
    }
    try {
      lock.release();
    } catch (IOException e) {
      LOG.warn("cannot release the lock of {}: {}", root, e.toString());
    }
    closeQuietly(lockChannel);
  }

  private static void createPrivateDirectory(Path root) throws IOException {
    if (Files.isDirectory(root)) {
      return;
    }
    if (root.getParent() != null) {
      Files.createDirectories(root.getParent());
    }
    if (AtomicFileWriter.isPosix(root.getParent() == null ? root : root.getParent())) {
      Files.createDirectory(
          root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
    } else {
      Files.createDirectory(root);
    }
  }

  private static String readOrCreateToken(Path file) throws IOException {
    if (Files.exists(file)) {
      String token = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (token.isEmpty()) {
        throw new AgentStartException(
            "the token file " + file + " is empty; remove it to get a new token");
      }
      return token;
    }
    byte[] random = new byte[TOKEN_BYTES];
    new SecureRandom().nextBytes(random);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    AtomicFileWriter.write(file, (token + "\n").getBytes(StandardCharsets.US_ASCII), true);
    return token;
  }

  private static String runningAgentDescription(Path root) {
    try {
      JsonNode agent = Json.mapper().readTree(root.resolve("agent.json").toFile());
      return " (pid "
          + agent.path("pid").asText("?")
          + ", port "
          + agent.path("port").asText("?")
          + ")";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        LOG.debug("cannot close lock channel", e);
      }
    }
  }
}
