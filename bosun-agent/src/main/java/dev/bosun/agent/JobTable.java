package dev.bosun.agent;

import dev.bosun.api.agent.JobChanges;
import dev.bosun.api.agent.JobState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The agent's jobs and the agent-wide version counter. Every change takes the next version under
 * one lock, so a change poll that saw version V has seen every change up to V; waiting pollers are
 * woken on each change.
 */
final class JobTable {
  private final ConcurrentHashMap<String, Job> jobs = new ConcurrentHashMap<>();
  // Jobs by their current version (guarded by lock), so a change poll reads only what changed
  // instead of scanning every job the agent ever ran.
  private final java.util.TreeMap<Long, Job> byVersion = new java.util.TreeMap<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private long version;
  private boolean closed;

  /** Every job known, in no order. */
  java.util.Collection<Job> all() {
    return java.util.List.copyOf(jobs.values());
  }

  Job get(String jobId) {
    return jobs.get(jobId);
  }

  Job computeIfAbsent(String jobId, Function<String, Job> create) {
    return jobs.computeIfAbsent(jobId, create);
  }

  /** Adds a job read from disk; the counter moves above its version. */
  void load(Job job) {
    lock.lock();
    try {
      jobs.put(job.id(), job);
      long jobVersion = job.record().state().version();
      if (jobVersion > 0) {
        byVersion.put(jobVersion, job);
      }
      version = Math.max(version, jobVersion);
    } finally {
      lock.unlock();
    }
  }

  void remove(Job job) {
    lock.lock();
    try {
      if (jobs.remove(job.id(), job)) {
        byVersion.remove(job.record().state().version(), job);
      }
    } finally {
      lock.unlock();
    }
  }

  long version() {
    lock.lock();
    try {
      return version;
    } finally {
      lock.unlock();
    }
  }

  /** Applies {@code change} to the job's record with the next version and wakes pollers. */
  JobRecord commit(Job job, UnaryOperator<JobRecord> change) {
    lock.lock();
    try {
      byVersion.remove(job.record().state().version(), job);
      JobRecord record = change.apply(job.record()).withVersion(++version);
      job.setRecord(record);
      if (jobs.get(job.id()) == job) {
        byVersion.put(record.state().version(), job);
      }
      changed.signalAll();
      return record;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Jobs whose version is above {@code after}, waiting up to {@code wait} for one. An {@code after}
   * above the counter (a caller that knew an earlier agent) reads all jobs. The cursor is the
   * counter at the time of reading, which covers every change included (and those of jobs deleted
   * since).
   */
  JobChanges changes(long after, Duration wait, String bootId) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    lock.lock();
    try {
      long from = after > version ? 0 : after;
      while (version <= from && !closed) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          break;
        }
        changed.awaitNanos(remaining);
      }
      List<JobState> states =
          byVersion.tailMap(from, false).values().stream()
              .map(job -> job.record().state())
              .toList();
      return new JobChanges(bootId, states, version);
    } finally {
      lock.unlock();
    }
  }

  /** Wakes every poller; polls answer at once from now on. */
  void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
