package dev.bosun.api;

import java.util.List;

/** The caller, and the projects it belongs to. */
public record UserInfo(String name, boolean admin, List<String> projects) {}
