package dev.bosun.store;

/** A run of that name is already active in the project. */
public final class DuplicateActiveRunException extends RuntimeException {
  public DuplicateActiveRunException(String name) {
    super("a run named '" + name + "' is already active");
  }
}
