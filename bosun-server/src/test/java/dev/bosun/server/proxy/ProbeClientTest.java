package dev.bosun.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The TCP readiness check: a port counts once a connection to it is accepted and stays open. */
class ProbeClientTest {
  private final ProbeClient probes = new ProbeClient();

  @Test
  void aPortThatKeepsTheConnectionOpenAccepts() throws Exception {
    List<Socket> held = new ArrayList<>();
    try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  held.add(server.accept());
                } catch (Exception closed) {
                  // the test is over
                }
              });
      assertThat(probes.accepts(address(server))).isTrue();
    } finally {
      for (Socket socket : held) {
        socket.close();
      }
    }
  }

  @Test
  void aPortThatClosesEveryConnectionAtOnceDoesNotAcceptLikeAnSshForwardToNothing()
      throws Exception {
    try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  while (true) {
                    server.accept().close();
                  }
                } catch (Exception closed) {
                  // the test is over
                }
              });
      assertThat(probes.accepts(address(server))).isFalse();
    }
  }

  @Test
  void aPortNothingListensOnDoesNotAccept() throws Exception {
    InetSocketAddress free;
    try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      free = address(server);
    }
    assertThat(probes.accepts(free)).isFalse();
  }

  private static InetSocketAddress address(ServerSocket server) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
  }
}
