package dev.bosun.api;

/**
 * Admin: stop the server; with {@code stopJobs} also abort every running job and stop local agents.
 */
public record ShutdownRequest(boolean stopJobs) {}
