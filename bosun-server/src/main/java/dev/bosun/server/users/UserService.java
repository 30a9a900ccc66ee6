package dev.bosun.server.users;

import dev.bosun.api.CreateProjectRequest;
import dev.bosun.api.CreateUserRequest;
import dev.bosun.api.CreatedUser;
import dev.bosun.api.ProjectInfo;
import dev.bosun.api.UpdateProjectRequest;
import dev.bosun.api.UserInfo;
import dev.bosun.model.error.BosunException;
import dev.bosun.model.error.ErrorCode;
import dev.bosun.server.Tokens;
import dev.bosun.store.ProjectRecord;
import dev.bosun.store.Store;
import dev.bosun.store.UserRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Users, their tokens and projects. */
public final class UserService {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}");
  private static final double MAX_WEIGHT = 1000;

  private final Store store;
  private final Runnable weightsChanged;

  /**
   * @param weightsChanged told when a project's weight changes (the queue order may change)
   */
  public UserService(Store store, Runnable weightsChanged) {
    this.store = store;
    this.weightsChanged = weightsChanged;
  }

  public UserInfo me(UserRecord user) {
    return new UserInfo(user.name(), user.admin(), store.projectNamesOf(user.id()));
  }

  public CreatedUser createUser(CreateUserRequest request) {
    String name = validName(request.name(), "user");
    if (store.userByName(name).isPresent()) {
      throw new BosunException(
          ErrorCode.ALREADY_EXISTS, "a user named '" + name + "' already exists");
    }
    String token = Tokens.newToken();
    store.createUser(name, false, Tokens.hash(token));
    return new CreatedUser(name, token);
  }

  public void createProject(UserRecord admin, CreateProjectRequest request) {
    String name = validName(request.name(), "project");
    if (store.project(name).isPresent()) {
      throw new BosunException(
          ErrorCode.ALREADY_EXISTS, "a project named '" + name + "' already exists");
    }
    List<String> members = new ArrayList<>();
    members.add(admin.id());
    for (String member : request.members()) {
      UserRecord user =
          store
              .userByName(member)
              .orElseThrow(
                  () -> new BosunException(ErrorCode.NOT_FOUND, "no user named '" + member + "'"));
      if (!members.contains(user.id())) {
        members.add(user.id());
      }
    }
    double weight = request.weight() == null ? 1.0 : validWeight(request.weight(), name);
    ProjectRecord project = store.createProject(name, members);
    if (weight != 1.0) {
      store.setProjectWeight(project.id(), weight);
    }
  }

  /** The projects the user is a member of; every project for an admin. */
  public List<ProjectInfo> projects(UserRecord user) {
    java.util.Set<String> mine = new java.util.HashSet<>(store.projectNamesOf(user.id()));
    return store.projects().stream()
        .filter(p -> user.admin() || mine.contains(p.name()))
        .map(p -> new ProjectInfo(p.name(), p.weight(), p.members()))
        .toList();
  }

  /** Admin: changes the project's fair-share weight. */
  public ProjectInfo updateProject(ProjectRecord project, UpdateProjectRequest request) {
    if (request.weight() == null) {
      throw new BosunException(
          ErrorCode.INVALID_REQUEST, "nothing to change: give the project's weight");
    }
    store.setProjectWeight(project.id(), validWeight(request.weight(), project.name()));
    weightsChanged.run();
    return store.projects().stream()
        .filter(p -> p.id().equals(project.id()))
        .map(p -> new ProjectInfo(p.name(), p.weight(), p.members()))
        .findFirst()
        .orElseThrow();
  }

  private static double validWeight(double weight, String project) {
    if (!(weight > 0) || weight > MAX_WEIGHT) {
      throw new BosunException(
          ErrorCode.INVALID_REQUEST,
          "invalid weight "
              + weight
              + " for project '"
              + project
              + "': use a number above 0 and at most "
              + (int) MAX_WEIGHT
              + " (the default is 1)");
    }
    return weight;
  }

  private static String validName(String name, String what) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new BosunException(
          ErrorCode.INVALID_REQUEST,
          "invalid "
              + what
              + " name '"
              + name
              + "': use lower-case letters, digits and '-', starting with a letter, at most 40 characters");
    }
    return name;
  }
}
