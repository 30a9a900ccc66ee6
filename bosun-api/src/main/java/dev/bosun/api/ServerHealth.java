package dev.bosun.api;

/** Answer of {@code /healthz}. */
public record ServerHealth(String status, String version) {}
