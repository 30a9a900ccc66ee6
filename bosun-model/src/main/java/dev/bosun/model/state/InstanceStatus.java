package dev.bosun.model.state;

/**
 * Lifecycle of an instance: {@code pending → provisioning → idle ⇄ busy → terminating →
 * terminated}, plus unreachable.
 */
public enum InstanceStatus {
  PENDING,
  PROVISIONING,
  IDLE,
  BUSY,
  UNREACHABLE,
  TERMINATING,
  TERMINATED;

  public boolean canRunJobs() {
    return this == IDLE || this == BUSY;
  }

  public String wireName() {
    return name().toLowerCase();
  }
}
