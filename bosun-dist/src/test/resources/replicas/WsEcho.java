import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * A service replica for tests, run as {@code java WsEcho.java PORT NAME}: a minimal WebSocket
 * server (RFC 6455) on 127.0.0.1:PORT that answers each text message with "NAME: message" and
 * echoes binary messages, pings and close. A plain HTTP request is answered with how its body came
 * ("NAME read N bytes, chunked|sized, sha256 HEX"), chunked bodies included. Written by hand so that
 * the test needs nothing but a JDK.
 */
public class WsEcho {
  public static void main(String[] args) throws Exception {
    String name = args[1];
    try (ServerSocket server =
        new ServerSocket(Integer.parseInt(args[0]), 50, InetAddress.getLoopbackAddress())) {
      while (true) {
        Socket socket = server.accept();
        Thread.ofVirtual().start(() -> serve(socket, name));
      }
    }
  }

  private static void serve(Socket socket, String name) {
    try (socket) {
      DataInputStream in = new DataInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      Map<String, String> headers = new HashMap<>();
      String requestLine = line(in);
      for (String line = line(in); !line.isEmpty(); line = line(in)) {
        int colon = line.indexOf(':');
        headers.put(line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
      }
      String key = headers.get("sec-websocket-key");
      if (key == null) {
        byte[] body = describeBody(in, headers, name).getBytes(StandardCharsets.UTF_8);
        out.write(
            ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                    + body.length
                    + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        return;
      }
      String accept =
          Base64.getEncoder()
              .encodeToString(
                  MessageDigest.getInstance("SHA-1")
                      .digest(
                          (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                              .getBytes(StandardCharsets.US_ASCII)));
      // of the subprotocols offered, the last (so that a relay passing the choice on shows)
      String offered = headers.get("sec-websocket-protocol");
      String protocol =
          offered == null ? "" : offered.substring(offered.lastIndexOf(',') + 1).trim();
      out.write(
          ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Accept: "
                  + accept
                  + (protocol.isEmpty() ? "" : "\r\nSec-WebSocket-Protocol: " + protocol)
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      System.out.println(name + ": connected " + requestLine);
      while (true) {
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        int opcode = first & 0x0f;
        long length = second & 0x7f;
        if (length == 126) {
          length = in.readUnsignedShort();
        } else if (length == 127) {
          length = in.readLong();
        }
        byte[] mask = new byte[4];
        if ((second & 0x80) != 0) {
          in.readFully(mask);
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        for (int i = 0; i < payload.length; i++) {
          payload[i] ^= mask[i % 4];
        }
        switch (opcode) {
          case 1 -> frame(out, 1, (name + ": " + new String(payload, StandardCharsets.UTF_8))
              .getBytes(StandardCharsets.UTF_8));
          case 2 -> frame(out, 2, payload);
          case 9 -> frame(out, 10, payload);
          case 8 -> {
            frame(out, 8, payload);
            return;
          }
          default -> {}
        }
      }
    } catch (IOException e) {
      // the client went away
    } catch (Exception e) {
      e.printStackTrace();
    }
  }

  /** Reads a plain request's body (sized or chunked) and says what arrived. */
  private static String describeBody(DataInputStream in, Map<String, String> headers, String name)
      throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    long read = 0;
    boolean chunked = "chunked".equalsIgnoreCase(headers.get("transfer-encoding"));
    if (chunked) {
      for (int size = chunkSize(in); size > 0; size = chunkSize(in)) {
        byte[] chunk = new byte[size];
        in.readFully(chunk);
        sha.update(chunk);
        read += size;
        line(in); // the chunk's CRLF
      }
      for (String trailer = line(in); !trailer.isEmpty(); trailer = line(in)) {}
    } else if (headers.containsKey("content-length")) {
      byte[] body = new byte[Integer.parseInt(headers.get("content-length"))];
      in.readFully(body);
      sha.update(body);
      read = body.length;
    }
    return name + " read " + read + " bytes, " + (chunked ? "chunked" : "sized") + ", sha256 "
        + java.util.HexFormat.of().formatHex(sha.digest()) + "\n";
  }

  private static int chunkSize(DataInputStream in) throws IOException {
    String size = line(in);
    int extension = size.indexOf(';');
    return Integer.parseInt((extension < 0 ? size : size.substring(0, extension)).trim(), 16);
  }

  private static void frame(OutputStream out, int opcode, byte[] payload) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(0x80 | opcode);
    if (payload.length < 126) {
      frame.write(payload.length);
    } else if (payload.length < 65536) {
      frame.write(126);
      frame.write(payload.length >> 8);
      frame.write(payload.length & 0xff);
    } else {
      frame.write(127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) ((long) payload.length >> shift) & 0xff);
      }
    }
    frame.write(payload);
    out.write(frame.toByteArray());
    out.flush();
  }

  private static String line(DataInputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      if (c != '\r') {
        line.write(c);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }
}
