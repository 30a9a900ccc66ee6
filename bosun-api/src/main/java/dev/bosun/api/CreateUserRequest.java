package dev.bosun.api;

/** Admin: create a user (the answer carries its token, shown once). */
public record CreateUserRequest(String name) {}
