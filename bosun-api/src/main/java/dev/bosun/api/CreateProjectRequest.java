package dev.bosun.api;

import java.util.List;

/**
 * Admin: create a project with members (user names). The admin is always a member.
 *
 * @param weight its fair-share weight against other projects on shared fleets; 1 when null
 */
public record CreateProjectRequest(String name, List<String> members, Double weight) {
  public CreateProjectRequest {
    members = members == null ? List.of() : List.copyOf(members);
  }

  /** A project of weight 1. */
  public CreateProjectRequest(String name, List<String> members) {
    this(name, members, null);
  }
}
