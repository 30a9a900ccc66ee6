package dev.bosun.agent.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.Closeable;
import org.apache.sshd.common.Service;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelOutputStream;
import org.apache.sshd.common.channel.ChannelPipedInputStream;
import org.apache.sshd.common.channel.ChannelPipedOutputStream;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.forward.ForwardingFilter;
import org.apache.sshd.server.forward.TcpForwardingFilter;
import org.apache.sshd.server.forward.TcpipServerChannel;
import org.apache.sshd.server.session.AbstractServerSession;
import org.apache.sshd.server.session.ServerConnectionService;
import org.apache.sshd.server.session.ServerConnectionServiceFactory;
import org.apache.sshd.server.session.ServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local port forwarding ({@code ssh -L}, {@code -W}, {@code -D}): {@code direct-tcpip} channels to
 * {@code localhost:PORT} reach the job's port (see {@link JobSessions#forwardTarget}); any other
 * target is refused. Remote forwarding, agent and X11 forwarding are refused by {@link #FILTER}.
 *
 * <p>Process jobs and host-network containers: MINA's own forwarding to the host's loopback. Bridge
 * containers: first the container's address, which reaches servers that listen on all addresses
 * ({@code 0.0.0.0}) as fast as any socket; when that is refused (a server on the container's own
 * {@code 127.0.0.1} only, as TensorBoard, Jupyter and VS Code's server often are), a {@link
 * ContainerRelay} in the container's network namespace carries the channel instead: the channel's
 * data goes to its standard input (through a {@link ChannelPipedInputStream}, which gives the
 * client more window as the relay takes it) and its output comes back (through a {@link
 * ChannelOutputStream}, which waits for the client's window), one platform thread each. The relay
 * ends when the channel closes, and the channel closes when the server closes the connection. A
 * port nothing listens on fails the channel's open with {@code connect failed} and the reason.
 */
final class JobForwarding extends TcpipServerChannel.TcpipFactory {
  private static final Logger LOG = LoggerFactory.getLogger(JobForwarding.class);

  /** How long a relay may take to connect inside the container. */
  private static final Duration RELAY_TIMEOUT = Duration.ofSeconds(10);

  /** Output waits for the client's window as long as it takes, as with a forwarded socket. */
  private static final Duration NO_WINDOW_TIMEOUT = Duration.ofDays(365);

  private static final int BUFFER = 32 * 1024;

  /** Allows the connections {@link Tunnel} already checked and rewrote, and nothing else. */
  static final ForwardingFilter FILTER =
      new ForwardingFilter() {
        @Override
        public boolean canForwardAgent(Session session, String requestType) {
          return false;
        }

        @Override
        public boolean canForwardX11(Session session, String requestType) {
          return false;
        }

        @Override
        public boolean canListen(SshdSocketAddress address, Session session) {
          return false;
        }

        @Override
        public boolean canConnect(Type type, SshdSocketAddress address, Session session) {
          return type == Type.Direct;
        }
      };

  private final JobSessions sessions;

  JobForwarding(JobSessions sessions) {
    super(TcpForwardingFilter.Type.Direct);
    this.sessions = sessions;
  }

  @Override
  public Channel createChannel(Session session) throws IOException {
    return new Tunnel();
  }

  /**
   * Checks the target and replaces it by the job's address before connecting; falls back to a relay
   * for bridge containers.
   */
  private final class Tunnel extends TcpipServerChannel {
    private volatile String jobId;
    private volatile int port;
    private volatile JobSessions.ForwardTarget target;
    private volatile ContainerRelay relay;
    private volatile ChannelPipedInputStream fromClient;
    private volatile ChannelPipedOutputStream toRelay;

    Tunnel() {
      super(TcpForwardingFilter.Type.Direct, null);
    }

    @Override
    protected OpenFuture doInit(Buffer buffer) {
      String host = buffer.getString();
      int port = buffer.getInt();
      String originatorHost = buffer.getString();
      int originatorPort = buffer.getInt();
      ServerSession session = (ServerSession) getSession();
      this.jobId = session.getUsername();
      this.port = port;
      try {
        target = sessions.forwardTarget(session.getUsername(), host, port);
      } catch (JobUnavailableException e) {
        LOG.info(
            "job {}: refused to forward to {}:{}: {}",
            session.getUsername(),
            host,
            port,
            e.getMessage());
        DefaultOpenFuture refused = new DefaultOpenFuture(this, this);
        explain(e.getMessage());
        try {
          refused.setException(
              new SshChannelOpenException(
                  getChannelId(),
                  SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED,
                  e.getMessage()));
        } finally {
          close(true);
        }
        return refused;
      }
      if (target.address().isEmpty()) { // a container without an address: only its loopback
        DefaultOpenFuture opening = new DefaultOpenFuture(this, this);
        startRelay(opening);
        return opening;
      }
      LOG.debug(
          "job {}: forwarding to {}:{} ({}:{})",
          session.getUsername(),
          host,
          port,
          target.address(),
          port);
      Buffer rewritten = new ByteArrayBuffer();
      rewritten.putString(target.address());
      rewritten.putInt(port);
      rewritten.putString(originatorHost);
      rewritten.putInt(originatorPort);
      return super.doInit(rewritten);
    }

    @Override
    protected void handleChannelOpenFailure(OpenFuture f, Throwable problem) {
      if (problem instanceof ConnectException && target != null && target.relay()) {
        LOG.debug(
            "job {}: nothing listens on {}:{}, trying the container's loopback",
            jobId,
            target.address(),
            port);
        startRelay(f);
        return;
      }
      fail(f, problem);
    }

    private void fail(OpenFuture f, Throwable problem) {
      if (problem instanceof ConnectException) {
        String message = "cannot connect to localhost:" + port + " in job " + jobId;
        LOG.info("job {}: {}: {}", jobId, message, problem.getMessage());
        explain(message + ": " + problem.getMessage());
      }
      super.handleChannelOpenFailure(f, problem);
    }

    /** The text the client gets with the channel's open failure, instead of MINA's generic one. */
    private void explain(String reason) {
      if (service instanceof Connections connections) {
        connections.explain(getRecipient(), reason);
      }
    }

    private void startRelay(OpenFuture f) {
      Thread.ofPlatform().daemon().name("ssh-relay-" + jobId).start(() -> openRelay(f));
    }

    private void openRelay(OpenFuture f) {
      long started = System.nanoTime();
      ContainerRelay opened;
      try {
        opened = ContainerRelay.connect(target.relayPid(), target.loopback(), port, RELAY_TIMEOUT);
      } catch (IOException | JobUnavailableException e) {
        fail(f, e instanceof ConnectException ? e : new ConnectException(e.getMessage()));
        return;
      }
      ChannelPipedInputStream in =
          new ChannelPipedInputStream(getLocalWindow(), Duration.ZERO); // idle as long as it likes
      ChannelOutputStream toClient =
          new ChannelOutputStream(
              this,
              getRemoteWindow(),
              NO_WINDOW_TIMEOUT,
              LOG,
              SshConstants.SSH_MSG_CHANNEL_DATA,
              true);
      fromClient = in;
      toRelay = new ChannelPipedOutputStream(in);
      relay = opened;
      if (isClosing() || f.isCanceled()) {
        endRelay();
        f.setException(
            new SshChannelOpenException(
                getChannelId(), SshConstants.SSH_OPEN_CONNECT_FAILED, "closed while connecting"));
        return;
      }
      try {
        signalChannelOpenSuccess();
        f.setOpened();
      } catch (RuntimeException e) {
        signalChannelOpenFailure(e);
        f.setException(e);
        close(true);
        return;
      } finally {
        notifyStateChanged("relay");
      }
      LOG.debug(
          "job {}: forwarding to localhost:{} through relay pid {} in the container (opened in {}"
              + " ms)",
          jobId,
          port,
          opened.pid(),
          (System.nanoTime() - started) / 1_000_000);
      Thread.ofPlatform()
          .daemon()
          .name("ssh-relay-in-" + jobId)
          .start(() -> copyToServer(in, opened));
      Thread.ofPlatform()
          .daemon()
          .name("ssh-relay-out-" + jobId)
          .start(() -> copyToClient(opened, toClient));
    }

    /** The client's data to the relay, until the client's EOF (or the relay stops taking it). */
    private void copyToServer(ChannelPipedInputStream from, ContainerRelay opened) {
      byte[] buffer = new byte[BUFFER];
      try (OutputStream to = opened.toServer()) {
        int n;
        while ((n = from.read(buffer)) >= 0) {
          to.write(buffer, 0, n);
          to.flush();
        }
      } catch (IOException e) {
        LOG.trace("relay input of job {} ended: {}", jobId, e.toString());
      } finally {
        closeQuietly(from); // what the client sends from now on is dropped
      }
    }

    /** The server's data to the client, then EOF and the channel's close. */
    private void copyToClient(ContainerRelay opened, ChannelOutputStream to) {
      byte[] buffer = new byte[BUFFER];
      try (InputStream from = opened.fromServer()) {
        int n;
        while ((n = from.read(buffer)) >= 0) {
          to.write(buffer, 0, n);
          to.flush();
        }
        to.close(); // EOF
      } catch (IOException e) {
        LOG.trace("relay output of job {} ended: {}", jobId, e.toString());
      }
      close(false);
    }

    @Override
    protected void doWriteData(byte[] data, int off, long len) throws IOException {
      ChannelPipedOutputStream pipe = toRelay;
      if (pipe == null) {
        super.doWriteData(data, off, len);
        return;
      }
      try {
        pipe.write(data, off, (int) len);
      } catch (IOException e) {
        // the relay no longer reads: drop the data, but keep the client's window open
        try {
          getLocalWindow().release(len);
        } catch (IOException | RuntimeException closing) {
          LOG.trace("window of job {} closed: {}", jobId, closing.toString());
        }
      }
    }

    @Override
    public void handleEof() throws IOException {
      super.handleEof();
      ChannelPipedOutputStream pipe = toRelay;
      if (pipe != null) {
        pipe.close();
      }
    }

    @Override
    protected Closeable getInnerCloseable() {
      return builder().run(toString(), this::endRelay).close(super.getInnerCloseable()).build();
    }

    private void endRelay() {
      ContainerRelay opened = relay;
      if (opened != null) {
        opened.close();
      }
      closeQuietly(toRelay);
      closeQuietly(fromClient);
    }
  }

  /**
   * The connection service: MINA's, except that a channel's open failure carries the reason the
   * channel gave (MINA 2.20 sends only {@code Generic error while opening channel: ID}), so that
   * OpenSSH prints e.g. {@code open failed: connect failed: cannot connect to localhost:8082 in job
   * X: Connection refused}.
   */
  static final class ConnectionServiceFactory extends ServerConnectionServiceFactory {
    @Override
    public Service create(Session session) throws IOException {
      return new Connections((AbstractServerSession) session);
    }
  }

  private static final class Connections extends ServerConnectionService {
    /** Reasons by the client's channel id, until the failure is sent. */
    private final Map<Long, String> reasons = new ConcurrentHashMap<>();

    Connections(AbstractServerSession session) throws SshException {
      super(session);
    }

    void explain(long recipient, String reason) {
      reasons.put(recipient, reason);
    }

    @Override
    protected IoWriteFuture sendChannelOpenFailure(
        Buffer buffer, long sender, int reasonCode, String message, String lang)
        throws IOException {
      String reason = reasons.remove(sender);
      return super.sendChannelOpenFailure(
          buffer, sender, reasonCode, reason == null ? message : reason, lang);
    }
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (IOException e) {
      LOG.trace("cannot close {}: {}", closeable, e.toString());
    }
  }
}
