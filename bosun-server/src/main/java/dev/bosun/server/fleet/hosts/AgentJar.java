package dev.bosun.server.fleet.hosts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/** The jar the server installs on SSH hosts (its own), with its SHA-256 computed once. */
public record AgentJar(Path path, String sha256) {

  /** The jar this server runs from, if it runs from one (not from a build's class directories). */
  public static Optional<AgentJar> ofThisServer() throws IOException {
    String classPath = System.getProperty("java.class.path", "");
    if (!classPath.endsWith(".jar") || classPath.contains(java.io.File.pathSeparator)) {
      return Optional.empty();
    }
    Path jar = Path.of(classPath).toAbsolutePath();
    return Files.isRegularFile(jar)
        ? Optional.of(new AgentJar(jar, sha256(jar)))
        : Optional.empty();
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in =
        new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
