package dev.bosun.store;

/** A fleet of a project; {@code kind} is {@code local} or {@code ssh}. */
public record FleetRecord(String id, String projectId, String name, String kind) {}
