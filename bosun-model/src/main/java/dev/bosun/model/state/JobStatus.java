package dev.bosun.model.state;

/**
 * Lifecycle of a job: {@code submitted → provisioning → pulling → running → terminating → done |
 * failed | terminated | aborted}.
 */
public enum JobStatus {
  SUBMITTED,
  PROVISIONING,
  PULLING,
  RUNNING,
  TERMINATING,
  DONE,
  FAILED,
  TERMINATED,
  ABORTED;

  public boolean isFinished() {
    return this == DONE || this == FAILED || this == TERMINATED || this == ABORTED;
  }

  public String wireName() {
    return name().toLowerCase();
  }
}
