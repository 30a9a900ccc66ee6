package dev.bosun.api;

/**
 * Adds an SSH public key to the caller (or replaces the caller's key of that name).
 *
 * @param name a short name for it, e.g. the machine it lives on
 * @param publicKey one OpenSSH public key line, e.g. the content of {@code ~/.ssh/id_ed25519.pub}
 */
public record AddSshKeyRequest(String name, String publicKey) {}
