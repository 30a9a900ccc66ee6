package dev.bosun.agent;

/** A job's process could not be started; the message says why in words for the user. */
final class JobLaunchException extends Exception {
  JobLaunchException(String message) {
    super(message);
  }

  JobLaunchException(String message, Throwable cause) {
    super(message, cause);
  }
}
