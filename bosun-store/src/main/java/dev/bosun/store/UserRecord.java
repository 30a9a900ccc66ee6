package dev.bosun.store;

/** A user of the server. */
public record UserRecord(String id, String name, boolean admin) {}
