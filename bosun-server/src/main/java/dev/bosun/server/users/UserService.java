package dev.bosun.server.users;

import dev.bosun.api.CreateProjectRequest;
import dev.bosun.api.CreateUserRequest;
import dev.bosun.api.CreatedUser;
import dev.bosun.api.UserInfo;
import dev.bosun.model.error.BosunException;
import dev.bosun.model.error.ErrorCode;
import dev.bosun.server.Tokens;
import dev.bosun.store.Store;
import dev.bosun.store.UserRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Users, their tokens and projects. */
public final class UserService {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}");

  private final Store store;

  public UserService(Store store) {
    this.store = store;
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
    store.createProject(name, members);
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
