package io.orchestro.threads.bootstrap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A service for {@code http} steps on this machine, on a plain socket so that it sees what an HTTP
 * server library hides: whether the caller closed the connection before any answer. Each request
 * gets the next scripted reply: a JSON answer, or no answer at all, the connection held open until
 * the caller gives up (recorded as an abort) or the receiver closes. With nothing scripted it
 * answers {@code 500}.
 */
final class HoldingReceiver implements AutoCloseable {

  private static final String HOLD = "hold";

  private final ServerSocket server;
  private final Queue<String> replies = new ConcurrentLinkedQueue<>();
  private final List<String> keys = new CopyOnWriteArrayList<>();
  private final List<String> held = new CopyOnWriteArrayList<>();
  private final List<String> aborted = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();

  HoldingReceiver() {
    try {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread accepting = new Thread(this::accept, "holding-receiver");
    accepting.setDaemon(true);
    accepting.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getLocalPort() + path;
  }

  /** The next request gets no answer: the receiver waits for the caller to give up. */
  HoldingReceiver holds() {
    replies.add(HOLD);
    return this;
  }

  /** The next request is answered {@code 200} with this JSON body. */
  HoldingReceiver answers(String json) {
    replies.add(json);
    return this;
  }

  /** The idempotency keys of every request received, in order. */
  List<String> keys() {
    return List.copyOf(keys);
  }

  /** The idempotency keys of the requests held now or before. */
  List<String> held() {
    return List.copyOf(held);
  }

  /** The idempotency keys of the held requests whose caller closed the connection. */
  List<String> aborted() {
    return List.copyOf(aborted);
  }

  @Override
  public void close() {
    closeQuietly(server);
    open.forEach(HoldingReceiver::closeQuietly);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        open.add(socket);
        Thread serving = new Thread(() -> serve(socket), "holding-receiver-connection");
        serving.setDaemon(true);
        serving.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      String key = readRequest(in);
      keys.add(key);
      String reply = replies.poll();
      if (HOLD.equals(reply)) {
        held.add(key);
        // nothing more comes from a caller waiting for the answer: the read ends when it closes
        boolean callerClosed;
        try {
          callerClosed = in.read() == -1;
        } catch (IOException reset) {
          callerClosed = true;
        }
        if (callerClosed && !server.isClosed()) {
          aborted.add(key);
        }
        return;
      }
      int status = reply == null ? 500 : 200;
      byte[] body =
          (reply == null ? "{\"error\": \"no answer scripted\"}" : reply)
              .getBytes(StandardCharsets.UTF_8);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("HTTP/1.1 "
                  + status
                  + " Scripted\r\nContent-Type: application/json\r\nContent-Length: "
                  + body.length
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
    } catch (IOException broken) {
      // the caller went away while the request was read or answered: nothing to record
    } finally {
      open.remove(socket);
    }
  }

  /** Reads the request's head and body; returns its {@code Idempotency-Key} (or empty). */
  private static String readRequest(InputStream in) throws IOException {
    String key = "";
    int contentLength = 0;
    String line;
    while (!(line = readLine(in)).isEmpty()) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      if (name.equals("idempotency-key")) {
        key = value;
      } else if (name.equals("content-length")) {
        contentLength = Integer.parseInt(value);
      }
    }
    in.readNBytes(contentLength);
    return key;
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int read;
    while ((read = in.read()) != -1 && read != '\n') {
      if (read != '\r') {
        line.write(read);
      }
    }
    if (read == -1 && line.size() == 0) {
      throw new IOException("the connection closed before a whole request");
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // closing anyway
    }
  }
}
