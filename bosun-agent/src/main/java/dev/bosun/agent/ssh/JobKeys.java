package dev.bosun.agent.ssh;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * Which public keys may open SSH sessions into which job: in memory, replaced as a whole per job.
 * {@link #authorize} replaces a job's keys and {@link #revoke} removes them; from then on a removed
 * key opens no new session, and {@link JobSshServer} closes the live sessions it opened.
 *
 * <p>Thread-safe. A job with no entry has no key: every session is refused.
 */
public final class JobKeys {
  private final Map<String, Set<String>> keysByJob = new ConcurrentHashMap<>();
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

  /**
   * Sets the keys that may enter the job, replacing the ones it had.
   *
   * @param openSshPublicKeys keys in OpenSSH's {@code authorized_keys} form without options ({@code
   *     ssh-ed25519 AAAA… comment}); an empty list is the same as {@link #revoke}
   * @throws IllegalArgumentException when a key cannot be read; no key changes then
   */
  public void authorize(String jobId, List<String> openSshPublicKeys) {
    Objects.requireNonNull(jobId, "jobId is null");
    Set<String> keys = new LinkedHashSet<>();
    for (String line : openSshPublicKeys) {
      keys.add(canonical(parse(line)));
    }
    if (keys.isEmpty()) {
      keysByJob.remove(jobId);
    } else {
      keysByJob.put(jobId, Set.copyOf(keys));
    }
    listeners.forEach(listener -> listener.accept(jobId));
  }

  /** Removes every key of the job. */
  public void revoke(String jobId) {
    keysByJob.remove(jobId);
    listeners.forEach(listener -> listener.accept(jobId));
  }

  /** Whether the key may open a session into the job now. */
  public boolean isAuthorized(String jobId, PublicKey key) {
    return isAuthorized(jobId, canonical(key));
  }

  boolean isAuthorized(String jobId, String canonicalKey) {
    Set<String> keys = keysByJob.get(jobId);
    return keys != null && keys.contains(canonicalKey);
  }

  /**
   * Calls {@code listener} with a job's id after its keys changed, until the returned action runs.
   */
  Runnable onChange(Consumer<String> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** {@code type base64}, the same for a key however it was written. */
  static String canonical(PublicKey key) {
    return PublicKeyEntry.toString(key);
  }

  static PublicKey parse(String line) {
    String trimmed = line == null ? "" : line.strip();
    try {
      PublicKey key =
          PublicKeyEntry.parsePublicKeyEntry(trimmed)
              .resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.FAILING);
      if (key == null) {
        throw new IllegalArgumentException("unsupported key type");
      }
      return key;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      String shown = trimmed.length() > 40 ? trimmed.substring(0, 40) + "…" : trimmed;
      throw new IllegalArgumentException(
          "not an OpenSSH public key: '" + shown + "' (" + e.getMessage() + ")", e);
    }
  }
}
