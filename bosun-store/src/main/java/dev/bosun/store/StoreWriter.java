package dev.bosun.store;

/** Writes inside one store transaction; see {@link Store#write}. */
public interface StoreWriter {
  /** Updates a run; bumps its version. */
  void saveRun(RunRecord run);

  /**
   * Writes a run's configuration, file name, client environment and deployment number (a service
   * re-applied with a changed configuration); {@link #saveRun} leaves them as they are.
   */
  void saveConfiguration(RunRecord run);

  /** Inserts or updates a job. */
  void saveJob(JobRecord job);
}
