package dev.bosun.store;

/** What the user asked for a run that is being stopped. */
public enum StopRequestKind {
  STOP,
  ABORT
}
