package dev.bosun.agent.docker;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A small HTTP/1.1 client over a unix-domain socket, one connection per request ({@code Connection:
 * close}), so that a streamed answer owns its connection and ends with it. Bodies come with {@code
 * Content-Length}, chunked, or until the connection closes.
 *
 * <p>A request's deadline is kept by a watchdog that closes the connection when it passes, which
 * ends a blocked read; an interrupted thread closes it too (socket channels are interruptible).
 */
final class UnixHttpClient {
  private static final ScheduledExecutorService WATCHDOG = watchdog();

  private final Path socket;

  UnixHttpClient(Path socket) {
    this.socket = socket;
  }

  /** {@code unix:///path/to/docker.sock}. */
  String endpoint() {
    return "unix://" + socket;
  }

  /**
   * Sends the request and reads the status line and headers.
   *
   * @throws DockerException UNREACHABLE when the socket cannot be connected to, TIMEOUT when the
   *     deadline passes before the headers arrive, PROTOCOL when the answer is not HTTP
   */
  HttpResponse send(HttpRequest request) {
    SocketChannel channel = connect();
    AtomicBoolean timedOut = new AtomicBoolean();
    Future<?> deadline =
        request.timeout() == null
            ? CompletableFuture.completedFuture(null)
            : WATCHDOG.schedule(
                () -> {
                  timedOut.set(true);
                  closeQuietly(channel);
                },
                request.timeout().toMillis(),
                TimeUnit.MILLISECONDS);
    InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 16 * 1024);
    HttpResponse headersOnly =
        new HttpResponse(
            request,
            endpoint(),
            0,
            Map.of(),
            InputStream.nullInputStream(),
            channel,
            deadline,
            timedOut);
    try {
      IOException writeFailure = null;
      try {
        write(channel, request);
      } catch (IOException e) {
        if (timedOut.get() || e instanceof ClosedByInterruptException) {
          throw e;
        }
        writeFailure = e; // Docker may have answered early (an error) and closed; read that answer
      }
      String statusLine;
      try {
        statusLine = HttpLines.readLine(in);
      } catch (EOFException e) {
        throw writeFailure != null ? writeFailure : e;
      }
      int status = parseStatus(statusLine);
      Map<String, String> headers = new HashMap<>();
      for (String line = HttpLines.readLine(in); !line.isEmpty(); line = HttpLines.readLine(in)) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          headers.put(
              line.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT),
              line.substring(colon + 1).strip());
        }
      }
      InputStream body = body(request, status, headers, in);
      return new HttpResponse(
          request, endpoint(), status, headers, body, channel, deadline, timedOut);
    } catch (IOException e) {
      headersOnly.close();
      throw headersOnly.failure(e);
    } catch (RuntimeException e) {
      headersOnly.close();
      throw e;
    }
  }

  private SocketChannel connect() {
    SocketChannel channel = null;
    try {
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      channel.connect(UnixDomainSocketAddress.of(socket));
      return channel;
    } catch (IOException e) {
      if (channel != null) {
        closeQuietly(channel);
      }
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      String hint =
          reason.toLowerCase(java.util.Locale.ROOT).contains("permission denied")
              ? "; may this user use Docker (root or the docker group)?"
              : "; is dockerd running?";
      throw new DockerException(
          DockerException.Kind.UNREACHABLE,
          0,
          "cannot reach Docker at " + endpoint() + ": " + reason + hint);
    }
  }

  private static void write(SocketChannel channel, HttpRequest request) throws IOException {
    StringBuilder head = new StringBuilder();
    head.append(request.method()).append(' ').append(request.target()).append(" HTTP/1.1\r\n");
    head.append("Host: docker\r\n");
    head.append("User-Agent: bosun-agent\r\n");
    head.append("Connection: close\r\n");
    request
        .headers()
        .forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    long length = 0;
    if (request.body() != null) {
      length = request.body().length;
    } else if (request.bodyFile() != null) {
      length = java.nio.file.Files.size(request.bodyFile());
    }
    if (request.hasBody()) {
      head.append("Content-Type: ").append(request.contentType()).append("\r\n");
    }
    if (request.hasBody() || !request.method().equals("GET")) {
      head.append("Content-Length: ").append(length).append("\r\n");
    }
    head.append("\r\n");
    writeFully(channel, ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.UTF_8)));
    if (request.body() != null) {
      writeFully(channel, ByteBuffer.wrap(request.body()));
    } else if (request.bodyFile() != null) {
      try (FileChannel file = FileChannel.open(request.bodyFile(), StandardOpenOption.READ)) {
        long position = 0;
        while (position < length) {
          position += file.transferTo(position, length - position, channel);
        }
      }
    }
  }

  private static void writeFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  private static int parseStatus(String statusLine) throws IOException {
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP answer: " + statusLine);
    }
    try {
      return Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IOException("not an HTTP status line: " + statusLine);
    }
  }

  private static InputStream body(
      HttpRequest request, int status, Map<String, String> headers, InputStream in)
      throws IOException {
    if (request.method().equals("HEAD") || status == 204 || status == 304 || status / 100 == 1) {
      return InputStream.nullInputStream();
    }
    String encoding = headers.get("transfer-encoding");
    if (encoding != null && encoding.toLowerCase(java.util.Locale.ROOT).contains("chunked")) {
      return new ChunkedInputStream(in);
    }
    String length = headers.get("content-length");
    if (length != null) {
      try {
        return new BoundedInputStream(in, Long.parseLong(length));
      } catch (NumberFormatException e) {
        throw new IOException("bad Content-Length: " + length);
      }
    }
    return in; // until the connection closes
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // already closed
    }
  }

  private static ScheduledExecutorService watchdog() {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, "docker-deadlines");
              thread.setDaemon(true);
              return thread;
            });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  /** A body of a known length: ends after it even though the connection may stay open. */
  private static final class BoundedInputStream extends FilterInputStream {
    private long remaining;

    BoundedInputStream(InputStream in, long length) {
      super(in);
      this.remaining = length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = in.read(buffer, offset, (int) Math.min(length, remaining));
      if (n < 0) {
        throw new EOFException(
            "the connection closed " + remaining + " bytes before the end of the body");
      }
      remaining -= n;
      return n;
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(remaining, in.available());
    }
  }
}
