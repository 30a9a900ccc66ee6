package dev.bosun.store;

/** What the user asked for a run that is being stopped. */
public enum StopRequestKind {
  STOP,
  ABORT;

  public static StopRequestKind of(boolean abort) {
    return abort ? ABORT : STOP;
  }

  /** The termination reason of a run ended this way. */
  public dev.bosun.model.state.TerminationReason reason() {
    return this == ABORT
        ? dev.bosun.model.state.TerminationReason.ABORTED_BY_USER
        : dev.bosun.model.state.TerminationReason.STOPPED_BY_USER;
  }
}
