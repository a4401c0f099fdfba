package io.orchestro.threads.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on a port of its own that forwards every connection to a target port on this machine,
 * and that can be cut, as a dropped network would (every connection closed, none accepted), and
 * restored on the same port.
 */
final class TcpRelay implements AutoCloseable {

  private final int targetPort;
  private final int port;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile ServerSocket server;

  TcpRelay(int targetPort) {
    this.targetPort = targetPort;
    listen(0);
    this.port = server.getLocalPort();
  }

  int port() {
    return port;
  }

  /** Closes every connection and stops accepting new ones. */
  synchronized void cut() {
    closeQuietly(server);
    sockets.forEach(TcpRelay::closeQuietly);
    sockets.clear();
  }

  /** Accepts connections again, on the same port. */
  synchronized void restore() {
    listen(port);
  }

  @Override
  public void close() {
    cut();
  }

  private void listen(int onPort) {
    try {
      ServerSocket socket = new ServerSocket();
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort));
      server = socket;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ServerSocket accepting = server;
    daemon(() -> accept(accepting));
  }

  private void accept(ServerSocket accepting) {
    while (!accepting.isClosed()) {
      try {
        Socket client = accepting.accept();
        Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(client);
        sockets.add(target);
        daemon(() -> pump(client, target));
        daemon(() -> pump(target, client));
      } catch (IOException closedOrRefused) {
        // cut: the loop ends with the closed server socket
      }
    }
  }

  private static void pump(Socket from, Socket to) {
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException cut) {
      // one side closed: close the other below
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void daemon(Runnable task) {
    Thread thread = new Thread(task, "tcp-relay");
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // already closed
    }
  }
}
