package dev.bosun.server.proxy;

import org.eclipse.jetty.io.Content;

/**
 * A caller's request body as it comes, passed on to a replica, noting whether reading it failed on
 * the caller's side (an upload that broke off) rather than because the replica's request was failed
 * (which fails this source too, with that request's cause).
 */
final class CallerBody implements Content.Source {
  private final Content.Source source;
  private volatile Throwable failedBy;
  private volatile Throwable failure;

  CallerBody(Content.Source source) {
    this.source = source;
  }

  /** Whether {@code failure} is the one the replica's side failed this body with. */
  boolean failedByReplicaSide(Throwable failure) {
    return failure != null && failure == failedBy;
  }

  /** Why the caller's upload broke off, or null when it did not. */
  Throwable failure() {
    return failure;
  }

  @Override
  public long getLength() {
    return source.getLength();
  }

  @Override
  public Content.Chunk read() {
    Content.Chunk chunk = source.read();
    if (Content.Chunk.isFailure(chunk) && chunk.getFailure() != failedBy) {
      failure = chunk.getFailure();
    }
    return chunk;
  }

  @Override
  public void demand(Runnable demandCallback) {
    source.demand(demandCallback);
  }

  @Override
  public void fail(Throwable cause) {
    failedBy = cause; // the replica's side: not the caller's doing
    source.fail(cause);
  }
}
