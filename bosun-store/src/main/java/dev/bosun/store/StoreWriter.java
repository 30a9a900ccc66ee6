package dev.bosun.store;

/** Writes inside one store transaction; see {@link Store#write}. */
public interface StoreWriter {
  /** Updates a run; bumps its version. */
  void saveRun(RunRecord run);

  /** Inserts or updates a job. */
  void saveJob(JobRecord job);
}
