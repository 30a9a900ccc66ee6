package dev.bosun.model.error;

/** Who has to act on an error, which decides the HTTP status and the CLI's exit code. */
public enum ErrorCategory {
  /** The request or file is wrong: fix it and retry (HTTP 400/404/409, exit code 2). */
  USER_ERROR(400),
  /** The caller is not who it claims or may not do this (HTTP 401/403, exit code 3). */
  AUTHENTICATION(401),
  /** Not enough capacity now (HTTP 409). */
  INSUFFICIENT_RESOURCES(409),
  /** Something outside Bosun failed: a host, an agent (HTTP 502). */
  EXTERNAL(502),
  /** A bug in Bosun (HTTP 500). */
  INTERNAL(500);

  private final int httpStatus;

  ErrorCategory(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }
}
