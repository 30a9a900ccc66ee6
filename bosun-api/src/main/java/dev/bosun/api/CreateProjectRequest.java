package dev.bosun.api;

import java.util.List;

/** Admin: create a project with members (user names). The admin is always a member. */
public record CreateProjectRequest(String name, List<String> members) {
  public CreateProjectRequest {
    members = members == null ? List.of() : List.copyOf(members);
  }
}
