package dev.bosun.api;

/** The server answered with an error. */
public final class ApiException extends RuntimeException {
  private final int httpStatus;
  private final ApiError error;

  public ApiException(int httpStatus, ApiError error) {
    super(error.message());
    this.httpStatus = httpStatus;
    this.error = error;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public ApiError error() {
    return error;
  }

  public boolean isAuthenticationError() {
    return httpStatus == 401 || httpStatus == 403;
  }
}
