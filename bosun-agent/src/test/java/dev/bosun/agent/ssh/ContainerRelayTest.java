package dev.bosun.agent.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay's process on its own, in this JVM's network namespace (nsenter needs root, like
 * container sessions): what it carries, how it says a connection failed and that it leaves nothing
 * running. {@code AgentContainerSshTest} runs it inside containers through the SSH server.
 */
class ContainerRelayTest {
  private static final long SELF = ProcessHandle.current().pid();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @BeforeEach
  void rootWithBash() {
    assumeTrue(JobSessions.runsAsRoot(), "nsenter needs root");
    assumeTrue(HostTools.find("bash").isPresent() && HostTools.find("nsenter").isPresent());
  }

  @Test
  void carriesBinaryDataBothWaysAndEndsWhenTheServerCloses() throws Exception {
    byte[] up = new byte[3 * 1024 * 1024 + 17];
    byte[] down = new byte[2 * 1024 * 1024 + 5];
    new Random(1).nextBytes(up);
    new Random(2).nextBytes(down);
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ContainerRelay relay =
          ContainerRelay.connect(SELF, "127.0.0.1", server.getLocalPort(), TIMEOUT);
      List<ProcessHandle> processes = tree(relay);
      CompletableFuture<byte[]> fromServer =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return relay.fromServer().readAllBytes();
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      try (Socket accepted = server.accept()) {
        Thread writer =
            Thread.ofPlatform()
                .start(
                    () -> {
                      try (OutputStream out = relay.toServer()) {
                        out.write(up);
                      } catch (Exception e) {
                        throw new IllegalStateException(e);
                      }
                    });
        accepted.getOutputStream().write(down);
        // the client's EOF reaches the relay, not the server: it reads exactly what was sent
        byte[] received = accepted.getInputStream().readNBytes(up.length);
        writer.join();
        assertThat(Arrays.equals(received, up)).as("the server got the client's bytes").isTrue();
        // the server can still answer after the client's EOF
        accepted.getOutputStream().write("after".getBytes(StandardCharsets.UTF_8));
      }
      byte[] back = fromServer.get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(back.length).isEqualTo(down.length + 5);
      assertThat(Arrays.equals(Arrays.copyOf(back, down.length), down)).isTrue();
      assertThat(new String(back, down.length, 5, StandardCharsets.UTF_8)).isEqualTo("after");
      assertThat(processes).hasSize(3); // bash and its two cats
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> processes.stream().noneMatch(ProcessHandle::isAlive));
      relay.close();
    }
  }

  @Test
  void closeEndsTheRelayAndItsConnection() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ContainerRelay relay =
          ContainerRelay.connect(SELF, "127.0.0.1", server.getLocalPort(), TIMEOUT);
      try (Socket accepted = server.accept()) {
        List<ProcessHandle> processes = tree(relay);
        assertThat(processes).hasSize(3);

        relay.close();

        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> processes.stream().noneMatch(ProcessHandle::isAlive));
        accepted.setSoTimeout(5000);
        InputStream in = accepted.getInputStream();
        assertThat(in.read()).as("the server sees the connection end").isEqualTo(-1);
      }
    }
  }

  @Test
  void aRefusedConnectionSaysSoPromptly() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    long started = System.nanoTime();
    assertThatThrownBy(() -> ContainerRelay.connect(SELF, "127.0.0.1", port, TIMEOUT))
        .isInstanceOf(ConnectException.class)
        .hasMessage("Connection refused");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    assertThatThrownBy(() -> ContainerRelay.connect(Integer.MAX_VALUE, "127.0.0.1", port, TIMEOUT))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("nsenter")
        .hasMessageContaining("/proc/" + Integer.MAX_VALUE + "/ns/net");
  }

  private static List<ProcessHandle> tree(ContainerRelay relay) {
    // the cats start right after the relay says it is connected
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> ProcessHandle.of(relay.pid()).map(p -> p.descendants().count()).orElse(0L) == 2);
    ProcessHandle bash = ProcessHandle.of(relay.pid()).orElseThrow();
    return Stream.concat(Stream.of(bash), bash.descendants()).toList();
  }
}
