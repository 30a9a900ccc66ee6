package dev.bosun.model.error;

/** Every error the API can return, with its category and HTTP status. */
public enum ErrorCode {
  INVALID_CONFIGURATION(ErrorCategory.USER_ERROR, 400),
  INVALID_REQUEST(ErrorCategory.USER_ERROR, 400),
  NOT_FOUND(ErrorCategory.USER_ERROR, 404),
  RUN_NOT_FOUND(ErrorCategory.USER_ERROR, 404),
  PROJECT_NOT_FOUND(ErrorCategory.USER_ERROR, 404),
  RUN_ALREADY_ACTIVE(ErrorCategory.USER_ERROR, 409),
  RUN_NOT_ACTIVE(ErrorCategory.USER_ERROR, 409),
  RUN_STILL_ACTIVE(ErrorCategory.USER_ERROR, 409),
  ALREADY_EXISTS(ErrorCategory.USER_ERROR, 409),
  UNAUTHENTICATED(ErrorCategory.AUTHENTICATION, 401),
  FORBIDDEN(ErrorCategory.AUTHENTICATION, 403),
  /** A service's rate limit refused the request; it says when to retry (Retry-After). */
  RATE_LIMITED(ErrorCategory.USER_ERROR, 429),
  AGENT_UNAVAILABLE(ErrorCategory.EXTERNAL, 502),
  /** A service's replica stayed silent longer than the proxy waits. */
  REPLICA_TIMEOUT(ErrorCategory.EXTERNAL, 504),
  INTERNAL_ERROR(ErrorCategory.INTERNAL, 500);

  private final ErrorCategory category;
  private final int httpStatus;

  ErrorCode(ErrorCategory category, int httpStatus) {
    this.category = category;
    this.httpStatus = httpStatus;
  }

  public ErrorCategory category() {
    return category;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public String wireName() {
    return name().toLowerCase();
  }
}
