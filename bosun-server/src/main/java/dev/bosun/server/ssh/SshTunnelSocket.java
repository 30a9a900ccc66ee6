package dev.bosun.server.ssh;

import dev.bosun.server.http.Caller;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/projects/{project}/runs/{run}/ssh?job=N}: a WebSocket that carries one SSH
 * connection between a client ({@code bosun ssh-proxy}, an OpenSSH {@code ProxyCommand}) and the
 * job's agent. Authorised like every call (bearer token, project membership) before the upgrade;
 * the bytes are SSH's own, end to end encrypted between the client and the agent.
 */
public final class SshTunnelSocket {
  private static final Logger LOG = LoggerFactory.getLogger(SshTunnelSocket.class);
  public static final String PATH = "/api/projects/{project}/runs/{run}/ssh";
  private static final String TARGET = "bosun.ssh.target";

  private final SshTunnels tunnels;
  private final Caller caller;
  private final Map<String, Socket> sockets = new ConcurrentHashMap<>();

  public SshTunnelSocket(SshTunnels tunnels, Caller caller) {
    this.tunnels = tunnels;
    this.caller = caller;
  }

  /** Registers the endpoint. */
  public void register(JavalinConfig config) {
    config.routes.wsBeforeUpgrade(PATH, this::beforeUpgrade);
    config.routes.ws(
        PATH,
        ws -> {
          ws.onConnect(
              ctx -> {
                InetSocketAddress target = ctx.attribute(TARGET);
                Socket socket = new Socket();
                socket.connect(target, 5_000);
                socket.setTcpNoDelay(true);
                sockets.put(ctx.sessionId(), socket);
                ctx.session.setIdleTimeout(Duration.ofHours(12));
                ctx.enableAutomaticPings(30, java.util.concurrent.TimeUnit.SECONDS);
                Thread.ofVirtual()
                    .name("ssh-tunnel-" + ctx.sessionId())
                    .start(
                        () -> {
                          byte[] buffer = new byte[32 * 1024];
                          try (InputStream in = socket.getInputStream()) {
                            int n;
                            while ((n = in.read(buffer)) >= 0) {
                              ctx.send(ByteBuffer.wrap(buffer.clone(), 0, n));
                            }
                          } catch (IOException e) {
                            LOG.debug("ssh tunnel {}: {}", ctx.sessionId(), e.getMessage());
                          } finally {
                            ctx.closeSession();
                          }
                        });
              });
          ws.onBinaryMessage(
              ctx -> {
                Socket socket = sockets.get(ctx.sessionId());
                if (socket != null) {
                  ByteBuffer data = ctx.data();
                  byte[] bytes = new byte[data.remaining()];
                  data.get(bytes);
                  socket.getOutputStream().write(bytes);
                }
              });
          ws.onClose(ctx -> close(ctx.sessionId()));
          ws.onError(ctx -> close(ctx.sessionId()));
        });
  }

  private void beforeUpgrade(Context ctx) {
    caller.authenticate(ctx);
    String job = ctx.queryParam("job");
    int jobNum;
    try {
      jobNum = job == null ? 0 : Integer.parseInt(job);
    } catch (NumberFormatException e) {
      throw new dev.bosun.model.error.BosunException(
          dev.bosun.model.error.ErrorCode.INVALID_REQUEST, "job must be a node rank, got " + job);
    }
    ctx.attribute(TARGET, tunnels.address(caller.project(ctx), ctx.pathParam("run"), jobNum));
  }

  private void close(String sessionId) {
    Socket socket = sockets.remove(sessionId);
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        LOG.debug("closing ssh tunnel {}: {}", sessionId, e.getMessage());
      }
    }
  }
}
