package dev.bosun.store;

/** A project (tenant). */
public record ProjectRecord(String id, String name) {}
