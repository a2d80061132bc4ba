package io.switchboard.it;

import io.switchboard.config.SwitchboardConfig;
import io.switchboard.dispatch.TargetTypes;
import io.switchboard.dryrun.Arrivals;
import io.switchboard.dryrun.DryRun;
import io.switchboard.dryrun.EventVerdict;
import io.switchboard.dryrun.TargetMatch;
import io.switchboard.message.DeadLetter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Verifies that the dry run tells what a running server does with the same config and input: which events each
 * target receives (and by which filter pattern), and which are dead-lettered, where and why ({@code GET /dlq}).
 *
 * <p>The input is both sample conversations with a redelivery (duplicate by id), a re-published copy (duplicate by
 * content), a schema-invalid envelope, a line that is not JSON, an {@code acd.end} for a session never started (an
 * invalid transition) and one adjacent pair swapped (the voice {@code acd.end} before its {@code acd.start}). The
 * server gets it one line per POST, in file order, each after the previous one was answered, so both see the same
 * arrival order. Timing is made irrelevant rather than simulated: the only disorder is the adjacent pair, which
 * reaches the server one POST apart and the dry run one synthetic millisecond apart, both well inside the hold
 * ({@code reorder.initialLatenessMs} 1000 ms, a fresh server's bound), so reorder fixes it on both sides and nothing
 * is late; every other event arrives in eventTime order, when no hold length can change a verdict.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class DryRunMatchesServerTest {

  private static final String MALFORMED = Samples.bytes("edge-invalid-json-truncated.txt")
      .toString(StandardCharsets.UTF_8).replace('\n', ' ');

  @TempDir
  Path dir;

  /** Two webhooks with different filters: crm the voice conversation's events, analytics queue legs and endings. */
  private JsonObject config(Webhook crm, Webhook analytics) {
    JsonObject config = TestServer.config(dir);
    config.getJsonObject("reorder").put("initialLatenessMs", 1000);
    return config.put("targets", new JsonArray()
        .add(new JsonObject().put("id", "crm").put("type", "http").put("url", crm.url())
            .put("filter", new JsonObject().put("conversation",
                new JsonObject().put("channels", new JsonArray().add("voice")))))
        .add(new JsonObject().put("id", "analytics").put("type", "http").put("url", analytics.url())
            .put("payload", new JsonObject().put("shape", "enriched"))
            .put("filter", new JsonObject().put("patterns", new JsonObject()
                .put("queue-legs", new JsonObject().put("detail-type", new JsonArray()
                    .add(new JsonObject().put("suffix", ".acd.start"))
                    .add(new JsonObject().put("suffix", ".acd.end"))))
                .put("closing", new JsonObject().put("conversation",
                    new JsonObject().put("state", new JsonArray().add("closed"))))))));
  }

  /** What the server did: each line's answer, what each webhook received, and the dead letters. */
  private record Observed(List<String> answers, Map<String, String> crm, Map<String, String> analytics,
                          List<JsonObject> deadLetters) {
  }

  /** The capture: one POST body a line. */
  private static List<Buffer> capture() {
    List<Buffer> lines = new ArrayList<>();
    Samples.VOICE.subList(0, 3).forEach(s -> lines.add(line(s)));
    lines.add(line("eb-voice-05-acd-end.json"));
    lines.add(line("eb-voice-04-acd-start.json"));
    JsonObject orphan = Samples.json("eb-voice-05-acd-end.json").put("id", uuid(1));
    JsonObject body = orphan.getJsonObject("detail").getJsonObject("eventBody");
    body.put("sessionId", uuid(2)).put("eventTime", body.getLong("eventTime") + 1);
    lines.add(orphan.toBuffer());
    Samples.VOICE.subList(5, 10).forEach(s -> lines.add(line(s)));
    lines.add(line("edge-duplicate-redelivery-acd-end.json"));
    lines.add(Samples.json("eb-voice-04-acd-start.json").put("id", uuid(3)).toBuffer());
    lines.add(line("edge-wrong-types.json"));
    lines.add(Buffer.buffer(MALFORMED));
    Samples.MULTI.forEach(s -> lines.add(line(s)));
    return lines;
  }

  private static Buffer line(String sample) {
    return Samples.json(sample).toBuffer();
  }

  private static String uuid(int n) {
    return UUID.nameUUIDFromBytes(new byte[] {(byte) n}).toString();
  }

  private static List<EventVerdict> dryRun(JsonObject config, List<Buffer> capture) {
    List<EventVerdict> verdicts = new ArrayList<>();
    DryRun run = new DryRun(SwitchboardConfig.fromJson(config, TargetTypes.BUILT_IN),
        new Arrivals(System.currentTimeMillis(), Arrivals.DEFAULT_GAP_MILLIS), verdicts::add, (target, payload) -> { });
    for (int i = 0; i < capture.size(); i++) {
      run.offer(i + 1, capture.get(i));
    }
    run.finish();
    return verdicts;
  }

  /** Posts each line after the previous one was answered; returns each answer's item status, or its HTTP status. */
  private static Future<List<String>> post(TestServer server, List<Buffer> capture) {
    List<String> statuses = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Buffer line : capture) {
      chain = chain.compose(v -> server.post(line)).map(r -> {
        statuses.add(r.statusCode() == 202
            ? r.bodyAsJsonObject().getJsonArray("results").getJsonObject(0).getString("status")
            : String.valueOf(r.statusCode()));
        return null;
      });
    }
    return chain.map(v -> statuses);
  }

  @Test
  void verifiesThatTheDryRunsVerdictsAndTargetsMatchWhatTheServerDid(VertxTestContext ctx) {
    List<Buffer> capture = capture();
    List<EventVerdict> verdicts = new ArrayList<>();
    Vertx vertx = Vertx.vertx();
    Future.all(Webhook.start(vertx), Webhook.start(vertx)).compose(hooks -> {
      Webhook crm = hooks.resultAt(0);
      Webhook analytics = hooks.resultAt(1);
      JsonObject config = config(crm, analytics);
      verdicts.addAll(dryRun(config, capture));
      return TestServer.start(vertx, dir, config).compose(server -> post(server, capture)
          .compose(answers -> Eventually.poll(vertx, 20_000, () -> server.inFlight().map(n -> n == 0))
              .compose(v -> DeadLetterPages.all(server))
              .map(deadLetters -> new Observed(answers, received(crm), received(analytics), deadLetters))));
    }).eventually(vertx::close).onComplete(ctx.succeeding(observed -> ctx.verify(() -> {
      // Admission answered what the dry run says of each line (an event dead-lettered later was accepted first).
      assertEquals(verdicts.stream().map(DryRunMatchesServerTest::answer).toList(), observed.answers());
      // Each target received exactly the events the dry run matched for it, by the same pattern.
      assertEquals(matched(verdicts, "crm").keySet(), observed.crm().keySet(), "crm's original shape names no pattern");
      assertEquals(matched(verdicts, "analytics"), observed.analytics());
      // The dead letters are the same, with the same stage, reason and error.
      assertEquals(deadLettered(verdicts), observed.deadLetters().stream().map(e -> e.getString("eventId") + " "
          + e.getString("stage") + "/" + e.getString("reason") + ": " + e.getString("error")).sorted().toList());

      assertEquals(10, observed.crm().size(), "the voice conversation");
      assertEquals(8, observed.analytics().size(), "six queue legs and two closing events");
      assertEquals(List.of("ingest/unparseable_json", "state/invalid_transition", "validate/schema_invalid"),
          verdicts.stream().filter(v -> v.outcome() == EventVerdict.Outcome.DEAD_LETTERED).map(EventVerdict::where)
              .sorted().toList());
      assertEquals(List.of("duplicate_id", "duplicate_content"), verdicts.stream()
          .filter(v -> v.outcome() == EventVerdict.Outcome.DUPLICATE).map(EventVerdict::reason).toList());
      assertFalse(verdicts.stream().anyMatch(EventVerdict::late), "nothing late on either side");
      ctx.completeNow();
    })));
  }

  /**
   * What {@code POST /events} answers for the line: the item's status; an event dead-lettered after admission (by
   * reorder or the state machine) was {@code accepted} there; a body that is not JSON is a 400.
   */
  private static String answer(EventVerdict verdict) {
    if ("unparseable_json".equals(verdict.reason())) {
      return "400";
    }
    boolean afterAdmission = verdict.stage() == DeadLetter.Stage.REORDER || verdict.stage() == DeadLetter.Stage.STATE;
    return afterAdmission ? "accepted" : verdict.outcome().code();
  }

  /** Event id to the pattern that selected it, for each event the dry run sends {@code target}. */
  private static Map<String, String> matched(List<EventVerdict> verdicts, String target) {
    Map<String, String> matched = new TreeMap<>();
    for (EventVerdict verdict : verdicts) {
      for (TargetMatch match : verdict.targets()) {
        if (match.targetId().equals(target)) {
          matched.put(verdict.eventId(), match.pattern());
        }
      }
    }
    return matched;
  }

  /** Event id to matched pattern of what the webhook received; the pattern is null in the original shape. */
  private static Map<String, String> received(Webhook hook) {
    Map<String, String> received = new TreeMap<>();
    for (Webhook.Received request : hook.accepted()) {
      JsonObject json = request.json();
      JsonObject event = json.containsKey("event") ? json.getJsonObject("event") : json;
      received.put(event.getString("id"), json.getString("matchedFilter"));
    }
    return received;
  }

  private static List<String> deadLettered(List<EventVerdict> verdicts) {
    return verdicts.stream().filter(v -> v.outcome() == EventVerdict.Outcome.DEAD_LETTERED)
        .map(v -> v.eventId() + " " + v.stage().name().toLowerCase(Locale.ROOT) + "/" + v.reason() + ": "
            + v.detail()).sorted().toList();
  }
}
