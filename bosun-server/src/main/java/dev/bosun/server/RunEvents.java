package dev.bosun.server;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes long polls when runs change. One server-wide counter: waiters re-read what they watch after
 * each change, which is cheap next to a timer and never misses an event.
 */
public final class RunEvents {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private long version;

  public long version() {
    lock.lock();
    try {
      return version;
    } finally {
      lock.unlock();
    }
  }

  public void changed() {
    lock.lock();
    try {
      version++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until the version is above {@code seen} or the deadline (nanoTime) passes; returns the
   * version.
   */
  public long awaitAfter(long seen, long deadlineNanos) throws InterruptedException {
    lock.lock();
    try {
      while (version <= seen) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          break;
        }
        changed.awaitNanos(left);
      }
      return version;
    } finally {
      lock.unlock();
    }
  }
}
