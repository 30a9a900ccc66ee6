package dev.bosun.agent.ssh;

import java.io.IOException;
import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.forward.ForwardingFilter;
import org.apache.sshd.server.forward.TcpForwardingFilter;
import org.apache.sshd.server.forward.TcpipServerChannel;
import org.apache.sshd.server.session.ServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local port forwarding ({@code ssh -L}, {@code -W}, {@code -D}): {@code direct-tcpip} channels to
 * {@code localhost:PORT} reach the job's port (see {@link JobSessions#forwardTarget}); any other
 * target is refused. Remote forwarding, agent and X11 forwarding are refused by {@link #FILTER}.
 */
final class JobForwarding extends TcpipServerChannel.TcpipFactory {
  private static final Logger LOG = LoggerFactory.getLogger(JobForwarding.class);

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

  /** Checks the target and replaces it by the job's address before connecting. */
  private final class Tunnel extends TcpipServerChannel {
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
      String target;
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
      LOG.debug(
          "job {}: forwarding to {}:{} ({}:{})", session.getUsername(), host, port, target, port);
      Buffer rewritten = new ByteArrayBuffer();
      rewritten.putString(target);
      rewritten.putInt(port);
      rewritten.putString(originatorHost);
      rewritten.putInt(originatorPort);
      return super.doInit(rewritten);
    }
  }
}
