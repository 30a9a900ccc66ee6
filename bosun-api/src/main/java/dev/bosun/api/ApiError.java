package dev.bosun.api;

/** The body of every non-2xx API response. */
public record ApiError(String code, String category, String message) {}
