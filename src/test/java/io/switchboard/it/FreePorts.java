package io.switchboard.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Ports free on this machine right now, for servers a test starts in another process (which must be told its port
 * before it starts). Several are probed while all are held open, so they are distinct.
 */
public final class FreePorts {

  private FreePorts() {
  }

  public static int one() {
    return several(1)[0];
  }

  public static int[] several(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0);
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // it was only a probe
        }
      }
    }
  }
}
