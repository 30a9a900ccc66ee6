package dev.bosun.api;

import java.util.List;

/**
 * A project: its fair-share weight and members.
 *
 * @param weight its share against other projects on shared fleets (1 by default)
 */
public record ProjectInfo(String name, double weight, List<String> members) {}
