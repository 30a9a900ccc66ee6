package dev.bosun.api;

import java.time.Instant;

/**
 * One of a user's SSH public keys: with it the user enters the running jobs of their projects.
 *
 * @param publicKey the OpenSSH public key line
 * @param fingerprint its SHA256 fingerprint, as {@code ssh-keygen -l} prints it
 */
public record SshKeyInfo(String name, String publicKey, String fingerprint, Instant createdAt) {}
