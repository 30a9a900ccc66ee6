package dev.bosun.agent.ssh;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.ServerFactoryManager;
import org.apache.sshd.server.session.ServerSessionImpl;
import org.apache.sshd.server.session.SessionFactory;

/**
 * Live sessions and the last activity per job: a session counts from its authentication (once the
 * job accepted it) until it closes; activity is the opening and closing of sessions and the data of
 * their channels, in both directions.
 */
final class SessionActivity {
  private final InstantSource clock;
  private final ConcurrentHashMap<String, Entry> jobs = new ConcurrentHashMap<>();

  SessionActivity(InstantSource clock) {
    this.clock = clock;
  }

  private static final class Entry {
    final AtomicInteger sessions = new AtomicInteger();
    volatile Instant last;
  }

  void opened(String jobId) {
    Entry entry = jobs.computeIfAbsent(jobId, id -> new Entry());
    entry.sessions.incrementAndGet();
    entry.last = clock.instant();
  }

  void closed(String jobId) {
    Entry entry = jobs.computeIfAbsent(jobId, id -> new Entry());
    entry.sessions.decrementAndGet();
    entry.last = clock.instant();
  }

  /** Data went through a session of the job. */
  void touch(String jobId) {
    Entry entry = jobs.get(jobId);
    if (entry != null) {
      entry.last = clock.instant();
    }
  }

  int sessions(String jobId) {
    Entry entry = jobs.get(jobId);
    return entry == null ? 0 : entry.sessions.get();
  }

  Optional<Instant> lastActivity(String jobId) {
    Entry entry = jobs.get(jobId);
    return entry == null ? Optional.empty() : Optional.ofNullable(entry.last);
  }

  /** Creates server sessions that report the data of their channels here. */
  SessionFactory sessionFactory(ServerFactoryManager server) {
    return new SessionFactory(server) {
      @Override
      protected ServerSessionImpl doCreateSession(IoSession ioSession) throws Exception {
        return new CountingSession(getServer(), ioSession);
      }
    };
  }

  private final class CountingSession extends ServerSessionImpl {
    CountingSession(ServerFactoryManager server, IoSession ioSession) throws Exception {
      super(server, ioSession);
    }

    @Override
    protected void doHandleMessage(Buffer buffer) throws Exception {
      noteData(buffer);
      super.doHandleMessage(buffer);
    }

    @Override
    public IoWriteFuture writePacket(Buffer buffer) throws java.io.IOException {
      noteData(buffer);
      return super.writePacket(buffer);
    }

    private void noteData(Buffer buffer) {
      if (buffer.available() > 0 && isAuthenticated()) {
        byte command = buffer.rawByte(buffer.rpos());
        if (command == SshConstants.SSH_MSG_CHANNEL_DATA
            || command == SshConstants.SSH_MSG_CHANNEL_EXTENDED_DATA) {
          touch(getUsername());
        }
      }
    }
  }
}
