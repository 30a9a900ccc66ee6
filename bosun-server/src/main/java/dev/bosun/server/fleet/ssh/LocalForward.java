package dev.bosun.server.fleet.ssh;

import java.io.IOException;
import org.apache.sshd.client.session.forward.ExplicitPortForwardingTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A port on 127.0.0.1 on this machine whose connections are carried over an SSH session to
 * 127.0.0.1:{@link #remotePort()} on the host. It stops when closed or when its session ends.
 */
public final class LocalForward implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalForward.class);

  private final ExplicitPortForwardingTracker tracker;
  private final int localPort;
  private final int remotePort;

  LocalForward(ExplicitPortForwardingTracker tracker, int remotePort) {
    this.tracker = tracker;
    this.localPort = tracker.getBoundAddress().getPort();
    this.remotePort = remotePort;
  }

  /** The port to connect to on 127.0.0.1. */
  public int localPort() {
    return localPort;
  }

  public int remotePort() {
    return remotePort;
  }

  public boolean isOpen() {
    return tracker.isOpen() && tracker.getClientSession().isOpen();
  }

  @Override
  public void close() {
    try {
      tracker.close();
    } catch (IOException | RuntimeException e) {
      LOG.debug("closing the forward of port {} failed: {}", localPort, e.toString());
    }
  }

  @Override
  public String toString() {
    return "127.0.0.1:" + localPort + " -> remote 127.0.0.1:" + remotePort;
  }
}
