package dev.bosun.cli;

import dev.bosun.api.AddSshKeyRequest;
import dev.bosun.api.BosunClient;
import dev.bosun.api.SshTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code bosun attach} sets up so that a plain {@code ssh RUN} (and VS Code Remote-SSH) gets
 * into a running job: a key pair of this CLI in {@code ~/.bosun/ssh/} registered with the server,
 * the agent's host key in {@code ~/.bosun/ssh/known_hosts}, and a {@code Host RUN} block in {@code
 * ~/.bosun/ssh/config} whose {@code ProxyCommand} carries the connection through the server.
 */
final class SshSetup {
  private final Path dir;

  SshSetup(Path home) {
    this.dir = home.resolve("ssh");
  }

  Path config() {
    return dir.resolve("config");
  }

  Path key() {
    return dir.resolve("id_ed25519");
  }

  /** Creates this CLI's key pair if needed and makes sure the server knows its public key. */
  void ensureKey(BosunClient client) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    if (!Files.exists(key())) {
      Process keygen;
      try {
        keygen =
            new ProcessBuilder(
                    "ssh-keygen",
                    "-q",
                    "-t",
                    "ed25519",
                    "-N",
                    "",
                    "-C",
                    "bosun",
                    "-f",
                    key().toString())
                .redirectErrorStream(true)
                .start();
      } catch (IOException e) {
        throw new CliException(
            ExitCodes.USAGE,
            "ssh-keygen is not installed: install OpenSSH's client (e.g. apt-get install"
                + " openssh-client) to attach");
      }
      if (keygen.waitFor() != 0) {
        throw new CliException(
            ExitCodes.USAGE,
            "ssh-keygen could not create "
                + key()
                + ": "
                + new String(keygen.getInputStream().readAllBytes()));
      }
    }
    String publicKey = Files.readString(Path.of(key() + ".pub")).strip();
    boolean known = client.sshKeys().stream().anyMatch(k -> k.publicKey().equals(publicKey));
    if (!known) {
      client.addSshKey(new AddSshKeyRequest(keyName(), publicKey));
    }
  }

  /** Writes the {@code Host} block and the host key for the run's job; returns the host alias. */
  String writeHost(SshTarget target, String project, List<String> proxyCommand) throws IOException {
    String alias = target.jobNum() == 0 ? target.run() : target.run() + "-" + target.jobNum();
    String keyAlias = "bosun-" + project + "-" + alias;
    replaceLines(
        dir.resolve("known_hosts"),
        line -> line.startsWith(keyAlias + " "),
        List.of(keyAlias + " " + target.hostKey()));
    List<String> block =
        List.of(
            "Host " + alias,
            "  HostName " + alias,
            "  User " + target.user(),
            "  ProxyCommand " + String.join(" ", proxyCommand),
            "  IdentityFile " + key(),
            "  IdentitiesOnly yes",
            "  UserKnownHostsFile " + dir.resolve("known_hosts"),
            "  StrictHostKeyChecking yes",
            "  HostKeyAlias " + keyAlias,
            "  ServerAliveInterval 30",
            "");
    Path config = config();
    List<String> kept = new ArrayList<>();
    if (Files.exists(config)) {
      boolean skipping = false;
      for (String line : Files.readAllLines(config)) {
        if (line.startsWith("Host ")) {
          skipping = line.equals("Host " + alias);
        }
        if (!skipping) {
          kept.add(line);
        }
      }
    }
    kept.addAll(block);
    Files.write(config, kept);
    Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
    return alias;
  }

  /** The line that makes OpenSSH read our config from the user's. */
  String includeLine() {
    return "Include " + config();
  }

  /** Whether the user's {@code ~/.ssh/config} includes ours already. */
  boolean isIncluded(Path userConfig) throws IOException {
    return Files.exists(userConfig)
        && Files.readAllLines(userConfig).stream()
            .anyMatch(line -> line.strip().equals(includeLine()));
  }

  /**
   * Puts the {@code Include} line at the top of the user's {@code ~/.ssh/config} (where it applies
   * to every host; further down it would only apply inside the block before it), creating the file
   * if needed.
   */
  void include(Path userConfig) throws IOException {
    if (isIncluded(userConfig)) {
      return;
    }
    Path sshDir = userConfig.getParent();
    if (!Files.exists(sshDir)) {
      Files.createDirectories(sshDir);
      Files.setPosixFilePermissions(sshDir, PosixFilePermissions.fromString("rwx------"));
    }
    List<String> lines = new ArrayList<>();
    lines.add("# Added by bosun attach: SSH into Bosun runs by their names");
    lines.add(includeLine());
    lines.add("");
    boolean existed = Files.exists(userConfig);
    if (existed) {
      lines.addAll(Files.readAllLines(userConfig));
    }
    Files.write(userConfig, lines);
    if (!existed) {
      Files.setPosixFilePermissions(userConfig, PosixFilePermissions.fromString("rw-------"));
    }
  }

  /** Where a refusal to include is remembered, so that the user is asked once. */
  Path declinedMarker() {
    return dir.resolve("include-declined");
  }

  private static void replaceLines(
      Path file, java.util.function.Predicate<String> old, List<String> added) throws IOException {
    List<String> lines = new ArrayList<>();
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file)) {
        if (!old.test(line)) {
          lines.add(line);
        }
      }
    }
    lines.addAll(added);
    Files.write(file, lines);
  }

  private static String keyName() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "cli";
    }
    String name = ("bosun-cli-" + host).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
    return name.length() > 64 ? name.substring(0, 64) : name;
  }
}
