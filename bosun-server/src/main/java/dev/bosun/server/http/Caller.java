package dev.bosun.server.http;

import dev.bosun.model.error.BosunException;
import dev.bosun.model.error.ErrorCode;
import dev.bosun.server.Tokens;
import dev.bosun.store.ProjectRecord;
import dev.bosun.store.Store;
import dev.bosun.store.UserRecord;
import io.javalin.http.Context;

/** Authenticates API calls by bearer token and authorises them against a project's members. */
public final class Caller {
  private static final String USER = "bosun.user";

  private final Store store;

  public Caller(Store store) {
    this.store = store;
  }

  /** Sets the caller on the context, or refuses the call. */
  public void authenticate(Context ctx) {
    ctx.attribute(USER, authenticate(ctx.header("Authorization")));
  }

  /** The user whose token an {@code Authorization} header carries, or an error saying why not. */
  public UserRecord authenticate(String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
      throw new BosunException(
          ErrorCode.UNAUTHENTICATED,
          "this call needs a token: send 'Authorization: Bearer <token>' (the CLI reads it from ~/.bosun/config.yml)");
    }
    UserRecord user =
        store
            .userByTokenHash(Tokens.hash(header.substring(7).trim()))
            .orElseThrow(
                () ->
                    new BosunException(
                        ErrorCode.UNAUTHENTICATED,
                        "the token is not valid; check BOSUN_TOKEN or the token in ~/.bosun/config.yml"));
    return user;
  }

  static UserRecord user(Context ctx) {
    UserRecord user = ctx.attribute(USER);
    if (user == null) {
      throw new IllegalStateException("route is not authenticated");
    }
    return user;
  }

  /** The project named in the path, if the caller is a member (admins see every project). */
  public ProjectRecord project(Context ctx) {
    return project(ctx, ctx.pathParam("project"));
  }

  /** The project {@code name}, if the caller is a member (admins see every project). */
  public ProjectRecord project(Context ctx, String name) {
    return project(user(ctx), name);
  }

  /** The project {@code name}, if {@code user} is a member (admins see every project). */
  public ProjectRecord project(UserRecord user, String name) {
    ProjectRecord project =
        store
            .project(name)
            .orElseThrow(
                () ->
                    new BosunException(
                        user.admin() ? ErrorCode.PROJECT_NOT_FOUND : ErrorCode.FORBIDDEN,
                        user.admin()
                            ? "project '" + name + "' does not exist"
                            : "you are not a member of project '"
                                + name
                                + "' (or it does not exist)"));
    if (!user.admin() && !store.isMember(project.id(), user.id())) {
      throw new BosunException(
          ErrorCode.FORBIDDEN,
          "you are not a member of project '" + name + "' (or it does not exist)");
    }
    return project;
  }

  static void requireAdmin(Context ctx) {
    if (!user(ctx).admin()) {
      throw new BosunException(ErrorCode.FORBIDDEN, "only an admin may do this");
    }
  }
}
