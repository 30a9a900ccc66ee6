package dev.bosun.model.error;

import java.util.Objects;

/**
 * An error with a code, meant for the user: its message is one clear sentence (what, where, how to
 * fix).
 */
public class BosunException extends RuntimeException {
  private final ErrorCode code;

  public BosunException(ErrorCode code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code is null");
  }

  public BosunException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code is null");
  }

  public ErrorCode code() {
    return code;
  }
}
