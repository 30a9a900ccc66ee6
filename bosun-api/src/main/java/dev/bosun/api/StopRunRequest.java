package dev.bosun.api;

/** Stop a run gracefully, or abort it ({@code bosun stop -x}). */
public record StopRunRequest(boolean abort) {}
