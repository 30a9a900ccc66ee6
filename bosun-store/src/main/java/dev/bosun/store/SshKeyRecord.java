package dev.bosun.store;

import java.time.Instant;

/**
 * A user's SSH public key.
 *
 * @param publicKey one OpenSSH public key line ({@code ssh-ed25519 AAAA… comment})
 */
public record SshKeyRecord(String name, String publicKey, Instant createdAt) {}
