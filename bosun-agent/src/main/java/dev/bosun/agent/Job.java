package dev.bosun.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One job in memory. Its record is replaced only through {@link JobTable#commit}; the rest is
 * guarded by {@link #lock()}, which every lifecycle step (start, stop, exit, delete) holds.
 */
final class Job {
  private final String id;
  private final JobDirectory directory;
  private final JobLog log;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile JobRecord record;

  private boolean launched;
  private boolean exited;
  private JobProcess process;
  private final List<Future<?>> timers = new ArrayList<>();

  Job(JobRecord record, JobDirectory directory, JobLog log, boolean launched) {
    this.id = record.spec().jobId();
    this.record = record;
    this.directory = directory;
    this.log = log;
    this.launched = launched;
  }

  String id() {
    return id;
  }

  JobDirectory directory() {
    return directory;
  }

  JobLog log() {
    return log;
  }

  ReentrantLock lock() {
    return lock;
  }

  JobRecord record() {
    return record;
  }

  void setRecord(JobRecord newRecord) {
    record = newRecord;
  }

  boolean launched() {
    return launched;
  }

  void markLaunched() {
    launched = true;
  }

  boolean exited() {
    return exited;
  }

  void markExited() {
    exited = true;
    timers.forEach(timer -> timer.cancel(false));
    timers.clear();
  }

  JobProcess process() {
    return process;
  }

  void setProcess(JobProcess newProcess) {
    process = newProcess;
  }

  /** A pending deadline (max duration, kill escalation), cancelled when the process ends. */
  void addTimer(Future<?> timer) {
    timers.add(timer);
  }
}
