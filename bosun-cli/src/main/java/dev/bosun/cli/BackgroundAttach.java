package dev.bosun.cli;

import dev.bosun.api.BosunClient;
import dev.bosun.api.RunInfo;

/**
 * Attaching to a run while its log streams: once it runs, its ports are forwarded and the ssh
 * command printed, until the run ends or the user detaches.
 */
final class BackgroundAttach implements AutoCloseable {
  private final CliContext ctx;
  private final BosunClient client;
  private final CliConfig config;
  private final RunInfo run;
  private volatile AttachSession session;
  private volatile boolean closed;

  BackgroundAttach(CliContext ctx, BosunClient client, CliConfig config, RunInfo run) {
    this.ctx = ctx;
    this.client = client;
    this.config = config;
    this.run = run;
  }

  void start() {
    Thread.ofPlatform().daemon().name("bosun-attach").start(this::attach);
  }

  private void attach() {
    try {
      RunInfo running = AttachCommand.awaitRunning(null, client, config.project(), run.name());
      session = AttachCommand.prepare(ctx, ctx.err(), client, config, running, 0, false, false);
      if (closed) {
        session.close();
        return;
      }
      session.await();
    } catch (CliException e) {
      if (!closed && !e.getMessage().contains("nothing to attach to")) {
        ctx.err().println("Cannot attach to " + run.name() + ": " + e.getMessage());
        ctx.err().flush();
      }
    } catch (Exception e) {
      if (!closed) {
        ctx.err().println("Cannot attach to " + run.name() + ": " + e);
        ctx.err().flush();
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    AttachSession current = session;
    if (current != null) {
      current.close();
    }
  }
}
