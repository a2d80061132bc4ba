package io.switchboard.it;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The web console in a real headless Chromium (the operating system's package, driven by playwright-core from npm,
 * which downloads no browser): under a steady load, with one healthy and one rejecting webhook target, the console
 * asks for the admin key, shows live numbers that change, the failing target's health, a dead letter that it then
 * replays to the healthy target after a confirmation, and a conversation's state. The browser half is
 * {@code src/test/browser/console.mjs}; screenshots of each view go to {@code target/console-screenshots/}.
 * Skipped, saying why, only when no Chromium is installed ({@code .ci/run} installs Debian's).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ConsoleBrowserIT {

  private static final String ADMIN_KEY = "console-test-admin-key";
  private static final String PLAYWRIGHT_VERSION = "1.65.1";
  private static final Path SCRIPT = Path.of("src/test/browser/console.mjs").toAbsolutePath();
  private static final Path SHOTS = Path.of("target", "console-screenshots").toAbsolutePath();
  private static final List<String> CHROMIUM = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
      "/usr/lib/chromium/chromium", "/usr/bin/google-chrome");
  private static final int CONVERSATIONS = 600;
  private static final long POST_EVERY_MS = 200;

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();
  private long load = -1;

  @AfterEach
  void tearDown() {
    vertx.cancelTimer(load);
    vertx.close().await();
  }

  @Test
  void verifiesThatAnOperatorSeesTheFlowReplaysADeadLetterAndLooksUpAConversationInARealBrowser() throws Exception {
    Optional<Path> chromium = chromium();
    assumeTrue(chromium.isPresent(), () -> "no Chromium found (looked for chromium.path, " + CHROMIUM
        + "); install Debian's package: apt-get install chromium");
    NodePackage driver = NodePackage.of("playwright-core", PLAYWRIGHT_VERSION, "console-driver").installed();

    Webhook crm = Webhook.start(vertx).await();
    Webhook legacy = Webhook.start(vertx).await().script(n -> Webhook.Reply.status(400));
    JsonObject config = TestServer.config(dir);
    config.getJsonObject("http").put("adminKey", ADMIN_KEY).put("adminPort", 0);
    config.getJsonArray("targets")
        .add(new JsonObject().put("id", "crm").put("type", "http").put("url", crm.url()))
        .add(new JsonObject().put("id", "legacy").put("type", "http").put("url", legacy.url())
            .put("failingAfterSeconds", 1));
    TestServer server = TestServer.start(vertx, dir, config).await();
    int admin = server.main().adminPort();

    List<JsonArray> conversations = GeneratedConversations.voice("console", CONVERSATIONS, 3);
    AtomicInteger posted = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    load = vertx.setPeriodic(POST_EVERY_MS, id -> {
      int next = posted.getAndIncrement();
      if (next >= conversations.size()) {
        vertx.cancelTimer(id);
        return;
      }
      server.post(conversations.get(next).toBuffer()).onComplete(ar -> {
        if (ar.failed() || ar.result().statusCode() != 202) {
          refused.incrementAndGet();
        }
      });
    });

    String conversation = conversations.get(0).getJsonObject(0).getJsonObject("detail").getJsonObject("eventBody")
        .getString("conversationId");
    String state = await("conversation " + conversation + " closed", () -> {
      HttpResponse<Buffer> r = adminGet(server, admin, "/conversations/" + conversation);
      return r.statusCode() == 200 && r.bodyAsJsonObject().getBoolean("terminal")
          ? r.bodyAsJsonObject().getString("state") : null;
    });
    await("a dead letter of target legacy", () -> adminGet(server, admin, "/dlq?target=legacy&limit=1")
        .bodyAsJsonObject().getJsonArray("entries").isEmpty() ? null : true);

    Map<String, String> results = drive(chromium.get(), driver, Map.of(
        "BASE_URL", "http://127.0.0.1:" + admin, "ADMIN_KEY", ADMIN_KEY,
        "FAILING_TARGET", "legacy", "HEALTHY_TARGET", "crm",
        "CONVERSATION_ID", conversation, "CONVERSATION_STATE", state));

    assertTrue(Long.parseLong(results.get("ingestedSecond")) > Long.parseLong(results.get("ingestedFirst")),
        results::toString);
    JsonObject replayed = adminGet(server, admin, "/dlq/" + results.get("replayed")).bodyAsJsonObject();
    JsonObject lastReplay = Optional.ofNullable(replayed.getJsonObject("lastReplay")).orElse(new JsonObject());
    assertEquals(List.of("delivered", "crm"), List.of(lastReplay.getString("outcome", "none"),
        lastReplay.getString("target", "none")), replayed.encode());
    String eventId = replayed.getString("eventId");
    long copies = crm.accepted().stream().filter(r -> eventId.equals(r.json().getString("id"))).count();
    assertEquals(2, copies, "crm got event " + eventId + " once live and once replayed");
    try (Stream<Path> shots = Files.list(SHOTS)) {
      assertEquals(9, shots.filter(p -> p.toString().endsWith(".png")).count(), "screenshots in " + SHOTS);
    }
    System.out.println("console browser test: " + posted.get() + " conversations posted (" + refused.get()
        + " refused), screenshots in " + SHOTS);
  }

  /** Runs the browser half; fails with its output unless it exits 0. Returns its {@code RESULT name=value} lines. */
  private static Map<String, String> drive(Path chromium, NodePackage driver, Map<String, String> settings)
      throws IOException, InterruptedException {
    Files.createDirectories(SHOTS);
    try (Stream<Path> old = Files.list(SHOTS)) {
      for (Path p : old.toList()) {
        Files.delete(p);
      }
    }
    Path log = SHOTS.resolve("driver.log");
    ProcessBuilder node = new ProcessBuilder("node", SCRIPT.toString()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    node.environment().putAll(settings);
    node.environment().put("CHROMIUM", chromium.toString());
    node.environment().put("DRIVER_HOME", driver.home().toString());
    node.environment().put("SHOTS", SHOTS.toString());
    Process process = node.start();
    boolean ended = process.waitFor(180, TimeUnit.SECONDS);
    if (!ended) {
      process.destroyForcibly().waitFor();
    }
    String output = Files.readString(log);
    System.out.println(output);
    assertTrue(ended, "the browser run took over 180 s:\n" + output);
    assertEquals(0, process.exitValue(), "the browser run failed:\n" + output);
    Map<String, String> results = new HashMap<>();
    output.lines().filter(l -> l.startsWith("RESULT ")).map(l -> l.substring(7).split("=", 2))
        .forEach(kv -> results.put(kv[0], kv[1]));
    return results;
  }

  private static HttpResponse<Buffer> adminGet(TestServer server, int port, String path) {
    return server.client().get(port, "127.0.0.1", path).putHeader("x-admin-key", ADMIN_KEY).send().await();
  }

  /** Polls until {@code probe} answers non-null (a process-level wait: the server runs on its own threads). */
  private static <T> T await(String what, Supplier<T> probe) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("timed out waiting for " + what);
  }

  /** The system's Chromium: {@code -Dchromium.path}, else the usual Debian and Ubuntu places. */
  private static Optional<Path> chromium() {
    return Stream.concat(Stream.ofNullable(System.getProperty("chromium.path")), CHROMIUM.stream())
        .map(Path::of).filter(Files::isExecutable).findFirst();
  }
}
