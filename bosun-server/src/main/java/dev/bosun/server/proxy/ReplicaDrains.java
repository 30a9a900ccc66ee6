package dev.bosun.server.proxy;

import dev.bosun.server.proxy.ServiceReplicas.Replica;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Retired replicas (scaled down, or replaced by a rollout) that still answer requests: each takes
 * no new request and is stopped once the requests it has are answered (WebSockets closed), or after
 * {@link #DRAIN}. {@link ServiceReplicas} checks them at each tick.
 */
final class ReplicaDrains {
  /** How long a retired replica may go on answering the requests it has before it is stopped. */
  static final Duration DRAIN = Duration.ofSeconds(30);

  private record Draining(Replica replica, Runnable stop, long deadline) {
    boolean done(long now) {
      return replica.outstanding.get() == 0 || now - deadline >= 0;
    }
  }

  private final List<Draining> draining = new ArrayList<>();

  /**
   * Stops the replica once drained; at once when it has no request in flight (or is not known to
   * the proxy).
   */
  void drain(Replica replica, Runnable stop) {
    if (replica != null) {
      replica.retired = true; // first: a probe passing now cannot put it back
      replica.ready = false;
      replica.why = "stopping";
    }
    if (replica == null || replica.outstanding.get() == 0) {
      stop.run();
      return;
    }
    synchronized (draining) {
      draining.add(new Draining(replica, stop, System.nanoTime() + DRAIN.toNanos()));
    }
  }

  /** Stops the replicas that are drained now. */
  void check() {
    long now = System.nanoTime();
    List<Draining> done = new ArrayList<>();
    synchronized (draining) {
      draining.removeIf(d -> d.done(now) && done.add(d));
    }
    done.forEach(d -> d.stop().run());
  }
}
