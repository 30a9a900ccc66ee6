package dev.bosun.agent.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A unix socket that answers each connection with the next scripted answer, written in the pieces
 * given (with the pauses given), and records the requests it got — to test the HTTP client byte by
 * byte without a Docker daemon.
 */
final class FakeDockerSocket implements AutoCloseable {
  /** One scripted answer: byte pieces written in turn, {@code pauseMillis} apart. */
  record Answer(List<byte[]> pieces, long pauseMillis, boolean hang) {
    static Answer of(String raw) {
      return new Answer(List.of(raw.getBytes(StandardCharsets.ISO_8859_1)), 0, false);
    }

    static Answer inPieces(long pauseMillis, String... pieces) {
      return new Answer(
          List.of(pieces).stream().map(p -> p.getBytes(StandardCharsets.ISO_8859_1)).toList(),
          pauseMillis,
          false);
    }

    static Answer inPieces(long pauseMillis, List<byte[]> pieces) {
      return new Answer(pieces, pauseMillis, false);
    }

    /** Reads the request and never answers. */
    static Answer never() {
      return new Answer(List.of(), 0, true);
    }

    static Answer json(int status, String json) {
      byte[] body = json.getBytes(StandardCharsets.UTF_8);
      return of(
          "HTTP/1.1 "
              + status
              + " X\r\nContent-Type: application/json\r\nContent-Length: "
              + body.length
              + "\r\n\r\n"
              + new String(body, StandardCharsets.ISO_8859_1));
    }
  }

  /** A request as received: the request line, the headers (lower-case names) and the body. */
  record Request(String line, java.util.Map<String, String> headers, String body) {}

  private final Path socket;
  private final ServerSocketChannel server;
  private final BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  FakeDockerSocket(Path dir) throws IOException {
    socket = dir.resolve("fake-docker.sock");
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    Thread.ofVirtual().name("fake-docker").start(this::accept);
  }

  Path socket() {
    return socket;
  }

  FakeDockerSocket answer(Answer answer) {
    answers.add(answer);
    return this;
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() throws IOException {
    server.close();
    Files.deleteIfExists(socket);
  }

  private void accept() {
    while (server.isOpen()) {
      try {
        SocketChannel channel = server.accept();
        Thread.ofVirtual().start(() -> serve(channel));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(SocketChannel channel) {
    try (channel) {
      InputStream in = Channels.newInputStream(channel);
      String line = HttpLines.readLine(in);
      java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
      for (String h = HttpLines.readLine(in); !h.isEmpty(); h = HttpLines.readLine(in)) {
        int colon = h.indexOf(':');
        headers.put(h.substring(0, colon).toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
      }
      int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      body.write(in.readNBytes(length));
      requests.add(new Request(line, headers, body.toString(StandardCharsets.UTF_8)));
      Answer answer = answers.take();
      if (answer.hang()) {
        in.read(); // until the client closes
        return;
      }
      OutputStream out = Channels.newOutputStream(channel);
      for (byte[] piece : answer.pieces()) {
        out.write(piece);
        out.flush();
        Thread.sleep(answer.pauseMillis());
      }
    } catch (IOException e) {
      // the client went away
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
