package dev.bosun.model.state;

/**
 * Lifecycle of a run: {@code pending → submitted → provisioning → running → terminating → done |
 * failed | terminated}. {@code pending} means waiting in the queue for capacity.
 */
public enum RunStatus {
  PENDING,
  SUBMITTED,
  PROVISIONING,
  RUNNING,
  TERMINATING,
  DONE,
  FAILED,
  TERMINATED;

  public boolean isFinished() {
    return this == DONE || this == FAILED || this == TERMINATED;
  }

  public String wireName() {
    return name().toLowerCase();
  }
}
