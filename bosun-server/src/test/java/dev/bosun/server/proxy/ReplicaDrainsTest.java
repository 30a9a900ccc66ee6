package dev.bosun.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReplicaDrainsTest {
  private final ReplicaDrains drains = new ReplicaDrains();
  private final AtomicInteger stops = new AtomicInteger();

  private static ServiceReplicas.Replica replica() {
    var replica =
        new ServiceReplicas.Replica(
            "job-1", 0, new InetSocketAddress("127.0.0.1", 8000), 8000, List.of());
    replica.ready = true;
    return replica;
  }

  @Test
  void aReplicaWithNoRequestInFlightStopsAtOnce() {
    var replica = replica();
    drains.drain(replica, stops::incrementAndGet);
    assertThat(stops).hasValue(1);
    assertThat(replica.ready).isFalse();
    assertThat(replica.retired).isTrue();
    drains.drain(null, stops::incrementAndGet); // not known to the proxy
    assertThat(stops).hasValue(2);
  }

  @Test
  void aBusyReplicaLeavesTheRotationAndStopsWhenItsLastRequestIsAnswered() {
    var replica = replica();
    replica.outstanding.set(2);
    drains.drain(replica, stops::incrementAndGet);
    assertThat(replica.ready).isFalse();
    assertThat(replica.retired).isTrue();
    drains.check();
    assertThat(stops).hasValue(0);
    replica.outstanding.decrementAndGet();
    drains.check();
    assertThat(stops).hasValue(0);
    replica.outstanding.decrementAndGet();
    drains.check();
    drains.check();
    assertThat(stops).hasValue(1); // once
  }
}
