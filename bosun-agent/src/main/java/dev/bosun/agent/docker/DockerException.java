package dev.bosun.agent.docker;

/**
 * A Docker Engine API call that did not succeed, with Docker's own message where it gave one.
 *
 * <p>{@link #kind()} says what went wrong: Docker could not be reached, it did not answer in time,
 * it refused the request (with its HTTP {@link #status()} and {@code {"message": ...}}), it
 * reported an error in the middle of a stream (a pull's {@code errorDetail}), or it answered
 * something this client does not understand. The message is one sentence meant for the user;
 * expected failures carry no cause worth a stack trace.
 */
public final class DockerException extends RuntimeException {
  /** What went wrong. */
  public enum Kind {
    /** The socket is missing, refuses connections or is not readable by this user. */
    UNREACHABLE,
    /** Docker did not finish answering before the call's deadline. */
    TIMEOUT,
    /** Docker answered with an HTTP error status; see {@link #status()}. */
    REJECTED,
    /** Docker reported an error inside a streamed answer, e.g. a pull that failed half-way. */
    FAILED,
    /** The answer was not HTTP or JSON as expected, or the connection broke mid-answer. */
    PROTOCOL,
    /** The calling thread was interrupted while it waited for Docker (its flag stays set). */
    INTERRUPTED
  }

  private final Kind kind;
  private final int status;

  DockerException(Kind kind, int status, String message) {
    super(message);
    this.kind = kind;
    this.status = status;
  }

  DockerException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.status = 0;
  }

  static DockerException rejected(int status, String message) {
    return new DockerException(Kind.REJECTED, status, message);
  }

  /** What went wrong. */
  public Kind kind() {
    return kind;
  }

  /** The HTTP status Docker answered with, or 0 when there was no HTTP error status. */
  public int status() {
    return status;
  }

  /** Docker answered 404: no such container, image or network. */
  public boolean isNotFound() {
    return kind == Kind.REJECTED && status == 404;
  }

  /** Docker answered 409: e.g. a container name already in use, or a container not running. */
  public boolean isConflict() {
    return kind == Kind.REJECTED && status == 409;
  }
}
