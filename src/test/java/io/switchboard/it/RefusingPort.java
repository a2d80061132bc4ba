package io.switchboard.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A loopback port that refuses connections for as long as this object is open: a socket bound to it that never
 * listens. A port freed after a probe is not enough: another listener may take it, or the client may pick it as its
 * own ephemeral port and connect to itself (a TCP self-connect hangs instead of refusing; it once timed a test out).
 */
public final class RefusingPort implements AutoCloseable {

  private final Socket holder;

  public RefusingPort() {
    holder = new Socket();
    try {
      holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return holder.getLocalPort();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port();
  }

  @Override
  public void close() {
    try {
      holder.close();
    } catch (IOException ignored) {
      // nothing to release beyond the port, which the OS frees anyway
    }
  }
}
