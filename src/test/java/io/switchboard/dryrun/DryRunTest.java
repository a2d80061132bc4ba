package io.switchboard.dryrun;

import io.switchboard.config.SwitchboardConfig;
import io.switchboard.dispatch.TargetTypes;
import io.switchboard.it.Samples;
import io.switchboard.message.DeadLetter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dry run on the sample payloads: verdicts, targets matched by their filters, shaped payloads, the command. */
class DryRunTest {

  private static final String VOICE_ACD_START = "eb-voice-04-acd-start.json";
  private static final String VOICE_ACD_END = "eb-voice-05-acd-end.json";

  @TempDir
  Path dir;

  /** What one run produced: the verdicts in capture order, and each target's payloads in delivery order. */
  private record Run(List<EventVerdict> verdicts, Map<String, List<Buffer>> payloads) {

    EventVerdict of(String eventId) {
      return verdicts.stream().filter(v -> eventId.equals(v.eventId())).findFirst()
          .orElseThrow(() -> new AssertionError("no verdict for " + eventId + " in " + verdicts));
    }

    List<String> idsTo(String target) {
      return payloads.getOrDefault(target, List.of()).stream().map(p -> {
        JsonObject json = p.toJsonObject();
        return json.containsKey("event") ? json.getJsonObject("event").getString("id") : json.getString("id");
      }).toList();
    }
  }

  /**
   * Two webhooks with different filters, as in the README's worked example: {@code crm} takes the events of voice
   * conversations (one unnamed pattern on the snapshot), {@code analytics} queue legs and closing events, enriched.
   */
  static JsonObject config() {
    return new JsonObject().put("targets", new JsonArray()
        .add(new JsonObject().put("id", "crm").put("type", "http").put("url", "http://127.0.0.1:9/crm")
            .put("filter", new JsonObject().put("conversation",
                new JsonObject().put("channels", new JsonArray().add("voice")))))
        .add(new JsonObject().put("id", "analytics").put("type", "http").put("url", "http://127.0.0.1:9/analytics")
            .put("payload", new JsonObject().put("shape", "enriched"))
            .put("filter", new JsonObject().put("patterns", new JsonObject()
                .put("queue-legs", new JsonObject().put("detail-type", new JsonArray()
                    .add(new JsonObject().put("suffix", ".acd.start")).add(new JsonObject().put("suffix", ".acd.end"))))
                .put("closing", new JsonObject().put("conversation", new JsonObject().put("state",
                    new JsonArray().add("closed"))))))));
  }

  private static Run run(JsonObject config, long gapMillis, List<Buffer> lines) {
    List<EventVerdict> verdicts = new ArrayList<>();
    Map<String, List<Buffer>> payloads = new LinkedHashMap<>();
    DryRun dryRun = new DryRun(SwitchboardConfig.fromJson(config, TargetTypes.BUILT_IN),
        new Arrivals(1_741_800_000_000L, gapMillis), verdicts::add,
        (target, payload) -> payloads.computeIfAbsent(target, t -> new ArrayList<>()).add(payload));
    for (int i = 0; i < lines.size(); i++) {
      dryRun.offer(i + 1, lines.get(i));
    }
    dryRun.finish();
    return new Run(verdicts, payloads);
  }

  private static Run run(List<Buffer> lines) {
    return run(config(), Arrivals.DEFAULT_GAP_MILLIS, lines);
  }

  /** A sample as one line of a capture. */
  static Buffer line(String sample) {
    return Samples.json(sample).toBuffer();
  }

  static List<Buffer> lines(List<String> samples) {
    return samples.stream().map(DryRunTest::line).toList();
  }

  static String id(String sample) {
    return Samples.json(sample).getString("id");
  }

  private static List<String> ids(List<String> samples) {
    return samples.stream().map(DryRunTest::id).toList();
  }

  /** The voice acd.end for a session whose acd.start never came, 1 ms after the real one: a lifecycle violation. */
  static Buffer acdEndWithoutStart() {
    JsonObject envelope = Samples.json(VOICE_ACD_END).put("id", UUID.nameUUIDFromBytes(new byte[] {1}).toString());
    JsonObject body = envelope.getJsonObject("detail").getJsonObject("eventBody");
    body.put("sessionId", UUID.nameUUIDFromBytes(new byte[] {2}).toString()).put("eventTime",
        body.getLong("eventTime") + 1);
    return envelope.toBuffer();
  }

  @Test
  void verifiesThatTheSampleConversationsAreAcceptedAndEachTargetMatchesWhatItsFilterSelects() {
    Run run = run(lines(Samples.all()));

    assertEquals(21, run.verdicts().size());
    for (EventVerdict verdict : run.verdicts()) {
      assertEquals(EventVerdict.Outcome.ACCEPTED, verdict.outcome(), verdict.toString());
      assertFalse(verdict.late());
    }
    assertEquals(ids(Samples.all()), run.verdicts().stream().map(EventVerdict::eventId).toList(), "capture order");
    assertEquals(ids(Samples.VOICE), run.idsTo("crm"));
    assertEquals(List.of(new TargetMatch("crm", "default", null)), run.of(id("eb-voice-01-customer-start.json")).targets());
    assertEquals(List.of(new TargetMatch("crm", "default", null), new TargetMatch("analytics", "queue-legs", null)),
        run.of(id(VOICE_ACD_START)).targets());
    assertEquals(List.of(new TargetMatch("analytics", "closing", null)),
        run.of(id("eb-multi-11-message-customer-end.json")).targets());
    assertEquals(List.of(), run.of(id("eb-multi-04-message-user-start.json")).targets());
    assertEquals("closed", run.of(id("eb-voice-10-acw.json")).state());
    assertEquals(8, run.idsTo("analytics").size());

    // crm's shape is the original envelope; analytics' the enriched wrapper with the pattern and the snapshot.
    assertEquals(Samples.json("eb-voice-01-customer-start.json"), run.payloads().get("crm").get(0).toJsonObject());
    JsonObject wrapper = run.payloads().get("analytics").stream().map(Buffer::toJsonObject)
        .filter(w -> id(VOICE_ACD_START).equals(w.getJsonObject("event").getString("id"))).findFirst().orElseThrow();
    assertEquals("queue-legs", wrapper.getString("matchedFilter"));
    assertEquals("queued", wrapper.getJsonObject("conversation").getString("state"));
    assertEquals(id(VOICE_ACD_START), wrapper.getString("traceId"));
    assertFalse(wrapper.getBoolean("late"));
  }

  @Test
  void verifiesThatARedeliveryIsADuplicateByIdAndARepublishedCopyOneByContent() {
    Buffer republished = Samples.republished(VOICE_ACD_START);
    List<Buffer> capture = new ArrayList<>(lines(Samples.VOICE.subList(0, 5)));
    capture.add(line("edge-duplicate-redelivery-acd-end.json"));
    capture.add(republished);

    Run run = run(capture);

    EventVerdict redelivery = run.verdicts().get(5);
    assertEquals(EventVerdict.Outcome.DUPLICATE, redelivery.outcome());
    assertEquals("duplicate_id", redelivery.reason());
    assertEquals(id(VOICE_ACD_END), redelivery.eventId());
    EventVerdict copy = run.verdicts().get(6);
    assertEquals(EventVerdict.Outcome.DUPLICATE, copy.outcome());
    assertEquals("duplicate_content", copy.reason());
    assertEquals(republished.toJsonObject().getString("id"), copy.eventId());
    assertEquals(ids(Samples.VOICE.subList(0, 5)), run.idsTo("crm"), "neither copy goes anywhere");
  }

  @Test
  void verifiesThatASchemaInvalidItemIsDeadLetteredAtValidationNamingEveryFailingLocation() {
    Run run = run(List.of(line("edge-wrong-types.json")));

    EventVerdict verdict = run.verdicts().get(0);
    assertEquals(EventVerdict.Outcome.DEAD_LETTERED, verdict.outcome());
    assertEquals(DeadLetter.Stage.VALIDATE, verdict.stage());
    assertEquals("schema_invalid", verdict.reason());
    assertEquals("validate/schema_invalid", verdict.where());
    assertTrue(verdict.detail().contains("/detail/eventBody/eventTime: expected integer, got string"), verdict.detail());
    assertTrue(verdict.detail().contains("/detail/version: expected string, got number"), verdict.detail());
    assertEquals(Map.of(), run.payloads());
  }

  @Test
  void verifiesThatALineThatIsNotJsonIsDeadLetteredAsUnparseableAndTheNextLineStillCounts() {
    Buffer truncated = Buffer.buffer(Samples.bytes("edge-invalid-json-truncated.txt").toString(StandardCharsets.UTF_8)
        .replace('\n', ' '));

    Run run = run(List.of(truncated, line("eb-voice-01-customer-start.json")));

    EventVerdict verdict = run.verdicts().get(0);
    assertEquals(EventVerdict.Outcome.DEAD_LETTERED, verdict.outcome());
    assertEquals("ingest/unparseable_json", verdict.where());
    assertTrue(verdict.detail().startsWith("invalid JSON: "), verdict.detail());
    assertEquals(1, verdict.line());
    assertEquals(EventVerdict.Outcome.ACCEPTED, run.verdicts().get(1).outcome());
    assertEquals(2, run.verdicts().get(1).line());
  }

  @Test
  void verifiesThatAPairSwappedWithinTheLatenessBoundIsReleasedInEventTimeOrder() {
    List<String> swapped = new ArrayList<>(Samples.VOICE);
    swapped.set(3, VOICE_ACD_END);
    swapped.set(4, VOICE_ACD_START);

    Run run = run(lines(swapped));

    // Without reorder the acd.end would break the lifecycle (no acd.start yet for its session).
    for (EventVerdict verdict : run.verdicts()) {
      assertEquals(EventVerdict.Outcome.ACCEPTED, verdict.outcome(), verdict.toString());
      assertFalse(verdict.late());
    }
    assertEquals(ids(swapped), run.verdicts().stream().map(EventVerdict::eventId).toList(), "verdicts in capture order");
    assertEquals(ids(Samples.VOICE), run.idsTo("crm"), "deliveries in eventTime order");
    assertEquals(List.of(id(VOICE_ACD_START), id(VOICE_ACD_END)), run.idsTo("analytics").subList(0, 2));
  }

  @Test
  void verifiesThatAnEventArrivingAfterTheBoundIsDeliveredFlaggedLateOrDeadLetteredAsConfigured() {
    List<String> swapped = new ArrayList<>(Samples.VOICE);
    swapped.set(7, "eb-voice-09-user-end.json");
    swapped.set(8, "eb-voice-08-customer-end.json");
    JsonObject fixed = config();
    fixed.put("reorder", new JsonObject().put("lateness", "fixed").put("windowMs", 300));

    // A second between lines, a 300 ms hold: the customer.end comes 1 s after the later user.end left.
    Run flagged = run(fixed, 1000, lines(swapped));
    EventVerdict late = flagged.of(id("eb-voice-08-customer-end.json"));
    assertEquals(EventVerdict.Outcome.ACCEPTED, late.outcome());
    assertTrue(late.late());
    assertEquals(1, flagged.verdicts().stream().filter(EventVerdict::late).count());
    assertEquals(List.of(id("eb-voice-09-user-end.json"), id("eb-voice-08-customer-end.json")),
        flagged.idsTo("crm").subList(7, 9), "delivered in arrival order, flagged");

    fixed.getJsonObject("reorder").put("lateEvents", "deadletter");
    EventVerdict deadLettered = run(fixed, 1000, lines(swapped)).of(id("eb-voice-08-customer-end.json"));
    assertEquals(EventVerdict.Outcome.DEAD_LETTERED, deadLettered.outcome());
    assertEquals("reorder/late_event", deadLettered.where());

    assertFalse(run(fixed, 100, lines(swapped)).of(id("eb-voice-08-customer-end.json")).late(),
        "100 ms apart, within the hold");
  }

  @Test
  void verifiesThatAnAcdEndWithoutItsAcdStartIsDeadLetteredAsAnInvalidTransition() {
    List<Buffer> capture = new ArrayList<>(lines(Samples.VOICE.subList(0, 5)));
    capture.add(acdEndWithoutStart());
    capture.add(line("eb-voice-06-user-start.json"));

    Run run = run(capture);

    EventVerdict verdict = run.verdicts().get(5);
    assertEquals(EventVerdict.Outcome.DEAD_LETTERED, verdict.outcome());
    assertEquals(DeadLetter.Stage.STATE, verdict.stage());
    assertEquals("invalid_transition", verdict.reason());
    assertEquals("acd.end for session " + UUID.nameUUIDFromBytes(new byte[] {2}) + " without a prior acd.start",
        verdict.detail());
    assertEquals("acd.end", verdict.eventType());
    assertEquals(EventVerdict.Outcome.ACCEPTED, run.verdicts().get(6).outcome(), "the conversation goes on");
    assertEquals(6, run.idsTo("crm").size());
  }

  @Test
  void verifiesThatAnArrayLineGivesAVerdictPerItemAndHeartbeatsAreIgnored() {
    Buffer array = Buffer.buffer("[" + line("eb-voice-01-customer-start.json") + ",1,"
        + line("eb-voice-02-flow-start.json") + "]");

    Run run = run(List.of(array, line("ws-msg-heartbeat.json"), line("ws-msg-detail-acd-start.json")));

    assertEquals(List.of("1[0]", "1[1]", "1[2]", "2", "3"),
        run.verdicts().stream().map(EventVerdict::position).toList());
    assertEquals(EventVerdict.Outcome.ACCEPTED, run.verdicts().get(0).outcome());
    assertEquals("ingest/unrecognised_shape", run.verdicts().get(1).where());
    assertEquals(EventVerdict.Outcome.ACCEPTED, run.verdicts().get(2).outcome());
    assertEquals(EventVerdict.Outcome.IGNORED, run.verdicts().get(3).outcome());
    // The voice acd.start as a notification message: no envelope id, selected by crm's pattern on the snapshot but
    // not by analytics' on the envelope's detail-type, which a notification message has not.
    EventVerdict notification = run.verdicts().get(4);
    assertEquals(EventVerdict.Outcome.ACCEPTED, notification.outcome());
    assertNull(notification.eventId());
    assertEquals("acd.start", notification.eventType());
    assertEquals(List.of(new TargetMatch("crm", "default", null)), notification.targets());
  }

  @Test
  void verifiesThatABodyPostEventsWouldAnswer413ToIsRefusedAndKeptNowhere() {
    JsonObject small = config().put("http", new JsonObject().put("maxBodyBytes", 1024).put("maxInFlight", 1));
    Buffer two = Buffer.buffer("[{},{}]");

    Run run = run(small, 1, List.of(line("eb-voice-01-customer-start.json"), two));

    assertEquals(EventVerdict.Outcome.REFUSED, run.verdicts().get(0).outcome());
    assertEquals("body_too_large", run.verdicts().get(0).reason());
    assertEquals(EventVerdict.Outcome.REFUSED, run.verdicts().get(1).outcome());
    assertEquals("too_many_items", run.verdicts().get(1).reason());
    assertEquals(Map.of(), run.payloads());
  }

  @Test
  void verifiesThatTheCommandPrintsAVerdictPerItemAndASummaryAndWritesEachTargetsPayloads() throws Exception {
    Path capture = dir.resolve("captured.jsonl");
    List<String> lines = new ArrayList<>();
    Samples.VOICE.forEach(s -> lines.add(line(s).toString()));
    lines.add(line("edge-duplicate-redelivery-acd-end.json").toString());
    lines.add(line("edge-wrong-types.json").toString());
    lines.add("");
    Files.write(capture, lines);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code = command(out, err, "-conf", "ignored-here.json", capture.toString(), "--out", dir.resolve("out").toString());

    assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    String report = out.toString(StandardCharsets.UTF_8);
    assertTrue(report.contains("duplicate_id"), report);
    assertTrue(report.lines().anyMatch(l -> l.matches("accepted +10 *")), report);
    assertTrue(report.lines().anyMatch(l -> l.matches("dead_lettered +1 +validate/schema_invalid 1")), report);
    assertTrue(report.lines().anyMatch(l -> l.matches("crm +http +10 +default 10")), report);
    assertTrue(report.lines().anyMatch(l -> l.matches("analytics +http +3 +queue-legs 2, closing 1")), report);
    assertEquals(10, Files.readAllLines(dir.resolve("out/crm.jsonl")).size());
    assertEquals(3, Files.readAllLines(dir.resolve("out/analytics.jsonl")).size());
    assertEquals("", err.toString(StandardCharsets.UTF_8), "nothing on stderr when piped");
  }

  @Test
  void verifiesThatAMissingSchemaFailsAsTheServerStartDoesAndABadCommandLineSaysHow() throws Exception {
    JsonObject config = config().put("schemas", new JsonObject().put("dir", dir.resolve("none").toString()));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Path capture = Files.writeString(dir.resolve("empty.jsonl"), "");

    int code = DryRunCommand.run(new String[] {capture.toString()},
        SwitchboardConfig.fromJson(config, TargetTypes.BUILT_IN), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true, StandardCharsets.UTF_8), false);

    assertEquals(1, code);
    assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("switchboard: cannot start: schemas.dir: cannot read "
        + "schema " + dir.resolve("none") + "/envelope.schema.json"), err.toString(StandardCharsets.UTF_8));
    ByteArrayOutputStream usage = new ByteArrayOutputStream();
    assertEquals(2, command(new ByteArrayOutputStream(), usage, "--gap-ms", "soon", capture.toString()));
    assertTrue(usage.toString(StandardCharsets.UTF_8).contains("--gap-ms takes a whole number"));
    assertEquals(1, command(new ByteArrayOutputStream(), usage, dir.resolve("absent.jsonl").toString()));
    assertTrue(usage.toString(StandardCharsets.UTF_8).contains("absent.jsonl: no such file"));
  }

  private static int command(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
    return DryRunCommand.run(args, SwitchboardConfig.fromJson(config(), TargetTypes.BUILT_IN),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false);
  }
}
