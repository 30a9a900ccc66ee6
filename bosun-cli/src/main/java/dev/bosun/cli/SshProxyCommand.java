package dev.bosun.cli;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code bosun ssh-proxy RUN [--job N]}: carries one SSH connection between standard input/output
 * and the run's job, through the server's WebSocket tunnel. OpenSSH runs it as the {@code
 * ProxyCommand} that {@code bosun attach} writes into {@code ~/.bosun/ssh/config}.
 */
@Command(
    name = "ssh-proxy",
    hidden = true,
    mixinStandardHelpOptions = true,
    description = "Carry an SSH connection into a running job (an OpenSSH ProxyCommand).")
final class SshProxyCommand implements java.util.concurrent.Callable<Integer> {
  @ParentCommand BosunCommand parent;
  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "RUN", description = "The run's name")
  String run;

  @Option(names = "--job", paramLabel = "N", description = "The node rank (default 0)")
  int job;

  @Override
  public Integer call() throws Exception {
    CliConfig config = parent.context().config(connection);
    URI server = config.server();
    URI uri =
        URI.create(
            (server.getScheme().equals("https") ? "wss" : "ws")
                + "://"
                + server.getRawAuthority()
                + "/api/projects/"
                + encode(config.project())
                + "/runs/"
                + encode(run)
                + "/ssh?job="
                + job);
    OutputStream stdout = new FileOutputStream(FileDescriptor.out);
    CountDownLatch closed = new CountDownLatch(1);
    WebSocket.Listener listener =
        new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            try {
              byte[] bytes = new byte[data.remaining()];
              data.get(bytes);
              stdout.write(bytes);
              stdout.flush();
            } catch (IOException e) {
              closed.countDown();
            }
            ws.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            closed.countDown();
            return null;
          }

          @Override
          public void onError(WebSocket ws, Throwable error) {
            closed.countDown();
          }
        };
    WebSocket socket;
    try {
      WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
      if (config.token() != null) {
        builder.header("Authorization", "Bearer " + config.token());
      }
      socket = builder.buildAsync(uri, listener).join();
    } catch (CompletionException e) {
      String why =
          e.getCause() instanceof WebSocketHandshakeException handshake
              ? reason(handshake)
              : String.valueOf(e.getCause() == null ? e : e.getCause().getMessage());
      parent.context().err().println("Error: cannot enter run " + run + ": " + why);
      parent.context().err().flush();
      return ExitCodes.SERVER;
    }
    Thread pump =
        Thread.ofVirtual()
            .start(
                () -> {
                  byte[] buffer = new byte[32 * 1024];
                  try (InputStream stdin = new FileInputStream(FileDescriptor.in)) {
                    int n;
                    while ((n = stdin.read(buffer)) >= 0) {
                      socket.sendBinary(ByteBuffer.wrap(buffer, 0, n).duplicate(), true).join();
                    }
                    socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
                  } catch (IOException | CompletionException e) {
                    closed.countDown();
                  }
                });
    closed.await();
    pump.interrupt();
    return ExitCodes.OK;
  }

  private static String reason(WebSocketHandshakeException e) {
    Object body = e.getResponse().body();
    String text =
        body instanceof byte[] bytes
            ? new String(bytes, StandardCharsets.UTF_8)
            : body == null ? "" : body.toString();
    int at = text.indexOf("\"message\":\"");
    if (at >= 0) {
      int end = text.indexOf('"', at + 11);
      return text.substring(at + 11, end < 0 ? text.length() : end);
    }
    return "the server answered HTTP " + e.getResponse().statusCode();
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
