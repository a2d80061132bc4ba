package io.switchboard.it.genesys;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;

import java.util.Objects;

/**
 * Hosts the emulator on its own context: one HTTP server on 127.0.0.1 for the login, API, streaming and control paths,
 * and the periodic sweep that ends expired channels. Undeploying closes every socket and the server.
 */
final class EmulatorVerticle extends VerticleBase {

  private final EmulatorOptions options;
  private EmulatorCore core;
  private HttpServer server;
  private long sweep = -1;

  EmulatorVerticle(EmulatorOptions options) {
    this.options = Objects.requireNonNull(options);
  }

  @Override
  public Future<?> start() {
    core = new EmulatorCore(vertx, options, System::currentTimeMillis,
        id -> "ws://127.0.0.1:" + server.actualPort() + "/channels/" + id);
    server = vertx.createHttpServer().requestHandler(EmulatorRouter.create(vertx, core))
        .webSocketHandshakeHandler(core.hub::handshake).webSocketHandler(core.hub::connect);
    // A tenth of the lifetime keeps expiry within 10% of the configured time, without spinning for 24 h channels.
    long period = Math.max(20, Math.min(1000, options.channelLifetime().toMillis() / 10));
    sweep = vertx.setPeriodic(period, id -> core.sweepChannels());
    return server.listen(options.port(), "127.0.0.1");
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sweep);
    core.hub.closeAll();
    return server.close();
  }

  EmulatorCore core() {
    return core;
  }

  Context context() {
    return context;
  }

  int port() {
    return server.actualPort();
  }
}
