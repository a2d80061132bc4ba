package io.switchboard.it.genesys;

import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link GenesysEmulator} with generated traffic until Ctrl-C, for README try-outs:
 *
 * <pre>
 * mvn -q -Pbench test-compile exec:exec -Dbench.main=io.switchboard.it.genesys.GenesysEmulatorMain \
 *     -Dbench.args="--port 9400 --calls-per-minute 12"
 * </pre>
 *
 * It prints the base URL (API, {@code /oauth/token} and WebSockets on one port), the client id and secret, and the
 * queue and agent ids whose topics carry the traffic. Failure injection goes through the {@code /_emulator}
 * endpoints described on {@link ControlApi}.
 */
public final class GenesysEmulatorMain {

  private static final String USAGE = """
      usage: GenesysEmulatorMain [--port N] [--client-id ID] [--client-secret S] [--calls-per-minute N]
                                 [--heartbeat-seconds N] [--token-seconds N] [--rate-limit N]
                                 [--queues N] [--agents N] [--seed N]
        --port               TCP port on 127.0.0.1 (default 9400; 0 picks a free one)
        --client-id/-secret  the OAuth client to accept, id first (default: the emulator's built-in pair)
        --calls-per-minute   generated inbound calls per minute (default 12)
        --heartbeat-seconds  WebSocket heartbeat interval (default 30)
        --token-seconds      access-token lifetime, expires_in (default 86399)
        --rate-limit         requests per token per 60 s (default 300)
        --queues, --agents   how many queue and agent ids the traffic uses (default 2 and 4)
        --seed               random seed of the traffic (default: random)""";

  private GenesysEmulatorMain() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println(USAGE);
      return;
    }
    EmulatorOptions.Builder options = EmulatorOptions.builder().port(9400);
    String clientId = EmulatorOptions.DEFAULT_CLIENT_ID;
    int callsPerMinute = 12;
    int queueCount = 2;
    int agentCount = 4;
    long seed = System.nanoTime();
    List<String> queues;
    List<String> agents;
    try {
      for (int i = 0; i < args.length; i++) {
        String value = i + 1 < args.length ? args[i + 1] : null;
        if (value == null) {
          throw new IllegalArgumentException(args[i] + " needs a value");
        }
        switch (args[i++]) {
          case "--port" -> options.port(Integer.parseInt(value));
          case "--client-id" -> clientId = value;
          case "--client-secret" -> options.client(clientId, value);
          case "--calls-per-minute" -> callsPerMinute = Integer.parseInt(value);
          case "--heartbeat-seconds" -> options.heartbeatInterval(Duration.ofSeconds(Long.parseLong(value)));
          case "--token-seconds" -> options.tokenLifetime(Duration.ofSeconds(Long.parseLong(value)));
          case "--rate-limit" -> options.rateLimit(Integer.parseInt(value), Duration.ofSeconds(60));
          case "--queues" -> queueCount = Integer.parseInt(value);
          case "--agents" -> agentCount = Integer.parseInt(value);
          case "--seed" -> seed = Long.parseLong(value);
          default -> throw new IllegalArgumentException("unknown option " + args[i - 1]);
        }
      }
      if (!clientId.equals(EmulatorOptions.DEFAULT_CLIENT_ID) && !options.build().clients().containsKey(clientId)) {
        throw new IllegalArgumentException("--client-id needs a --client-secret after it");
      }
      queues = ids("queue", queueCount);
      agents = ids("agent", agentCount);
    } catch (IllegalArgumentException e) {
      System.err.println("GenesysEmulatorMain: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    EmulatorOptions built = options.build();
    Vertx vertx = Vertx.vertx();
    GenesysEmulator emulator = GenesysEmulator.start(vertx, built).await(30, TimeUnit.SECONDS);
    vertx.deployVerticle(new TrafficGenerator(emulator, queues, agents, callsPerMinute, seed)).await(30, TimeUnit.SECONDS);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().await(5, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // exiting anyway
      }
    }));
    String secret = built.clients().get(clientId);
    System.out.println("Genesys Cloud emulator at " + emulator.baseUrl()
        + "  (API /api/v2, login /oauth/token and WebSockets ws://127.0.0.1:" + emulator.port() + "/channels/<id>)");
    System.out.println("  client id:      " + clientId);
    System.out.println("  client secret:  " + secret);
    System.out.println("  token:          curl -s -u '" + clientId + ":" + secret + "' -d grant_type=client_credentials "
        + emulator.baseUrl() + "/oauth/token");
    queues.forEach(q -> System.out.println("  queue topic:    v2.routing.queues." + q + ".conversations"));
    agents.forEach(a -> System.out.println("  user topic:     v2.users." + a + ".conversations"));
    System.out.println("  traffic:        ~" + callsPerMinute + " voice calls a minute (seed " + seed + ")");
    System.out.println("  fault injection: POST " + emulator.baseUrl() + "/_emulator/... (e.g. /_emulator/sockets/closing,"
        + " /_emulator/faults {\"status\":503,\"count\":3}); Ctrl-C to stop");
  }

  /**
   * The same ids every run ({@code conf/example-genesys.json} subscribes to the first queue's and the first agents'
   * topics), derived from the kind and the index.
   */
  private static List<String> ids(String kind, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("--queues and --agents must be >= 1");
    }
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(UUID.nameUUIDFromBytes(("switchboard-emulator/" + kind + "/" + i).getBytes(
          java.nio.charset.StandardCharsets.UTF_8)).toString());
    }
    return ids;
  }
}
