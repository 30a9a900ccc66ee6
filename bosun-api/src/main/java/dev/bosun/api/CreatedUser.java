package dev.bosun.api;

/** A new user and its token (the server stores only a hash). */
public record CreatedUser(String name, String token) {}
