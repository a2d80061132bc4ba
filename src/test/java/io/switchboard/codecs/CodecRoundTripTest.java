package io.switchboard.codecs;

import io.switchboard.message.DeadLetter;
import io.switchboard.message.DedupVerdict;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.ProcessedEvent;
import io.switchboard.message.Settlement;
import io.switchboard.message.Ticket;
import io.switchboard.message.Verdict;
import io.switchboard.message.Violation;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CodecRoundTripTest {

  private static final String PAYLOAD = "{\"id\":\"e1\",\"detail\":{\"topicName\":\"t\",\"eventBody\":{\"eventTime\":5,\"conversationId\":\"c\"}}}";

  static PipelineEvent event(boolean late, String eventId) {
    Buffer payload = Buffer.buffer(PAYLOAD);
    return new PipelineEvent(new Ticket("settle.http-1", 42), "http", eventId, "00ff", "c", "acd.start",
        "v2.detail.events.conversation.c.acd.start", 5, 1_700_000_000_000L, "VOICE", "p", null, "q", "u", late,
        new JsonObject().put("eventTime", 5).put("conversationId", "c"), payload);
  }

  /** Encodes after a prefix so decoding must honour the start position, as the event bus does. */
  private static <T> T roundTrip(MessageCodec<T, T> codec, T value) {
    Buffer wire = Buffer.buffer().appendString("prefix");
    codec.encodeToWire(wire, value);
    return codec.decodeFromWire("prefix".length(), wire);
  }

  @Test
  void verifiesThatAPipelineEventSurvivesTheWireWithItsBodyReDerived() {
    PipelineEvent original = event(true, null);
    PipelineEvent copy = roundTrip(new PipelineEventCodec(), original);
    assertEquals(original, copy);
    assertEquals(5, copy.eventBody().getInteger("eventTime"));
  }

  @Test
  void verifiesThatLocalDeliveryPassesTheSameInstance() {
    PipelineEvent original = event(false, "e1");
    assertSame(original, new PipelineEventCodec().transform(original));
  }

  @Test
  void verifiesThatAProcessedEventSurvivesTheWire() {
    ProcessedEvent original = new ProcessedEvent(event(false, "e1"), "queued", 3, Buffer.buffer("{\"state\":\"queued\"}"), 99);
    assertEquals(original, roundTrip(new ProcessedEventCodec(), original));
  }

  @Test
  void verifiesThatAProcessedEventWithoutASnapshotSurvivesTheWire() {
    // No target reads the snapshot, so the state stage took none (the park log writes such events too).
    ProcessedEvent original = new ProcessedEvent(event(false, "e2"), "queued", 3, null, 99);
    ProcessedEvent back = roundTrip(new ProcessedEventCodec(), original);
    assertEquals(original, back);
    assertEquals("null", back.snapshotJson().toString());
  }

  @Test
  void verifiesThatAProcessedEventWithAViolationSurvivesTheWire() {
    ProcessedEvent original = new ProcessedEvent(event(false, "e3"), "ivr", 2, Buffer.buffer("{}"), 99,
        new Violation(DeadLetter.Reason.INVALID_TRANSITION, "acd.end for session s without a prior acd.start"));
    ProcessedEvent back = roundTrip(new ProcessedEventCodec(), original);
    assertEquals(original, back);
    assertEquals(new JsonObject().put("reason", "invalid_transition")
        .put("error", "acd.end for session s without a prior acd.start"), back.violationJson().toJsonObject());
  }

  @Test
  void verifiesThatAVersion1ProcessedEventIsStillReadWithoutAViolation() {
    // What a park log written before the violation field holds: version 1, the fields up to processedAt.
    ProcessedEvent original = new ProcessedEvent(event(false, "e4"), "queued", 3, Buffer.buffer("{}"), 99);
    Buffer current = Buffer.buffer();
    new ProcessedEventCodec().encodeToWire(current, original);
    Buffer v1 = Buffer.buffer().appendString("prefix").appendByte((byte) 1)
        // v3 ends with two null strings (violation), a null string (matched) and an int (parts): 4 bytes each
        .appendBuffer(current.getBuffer(1, current.length() - 16));
    assertEquals(original, new ProcessedEventCodec().decodeFromWire("prefix".length(), v1));
  }

  @Test
  void verifiesThatAVersion2ProcessedEventIsStillReadWithoutMatchOrParts() {
    // What a park log written before the state stage matched filters holds: version 2, up to the violation.
    ProcessedEvent original = new ProcessedEvent(event(false, "e6"), "ivr", 2, Buffer.buffer("{}"), 99,
        new Violation(DeadLetter.Reason.INVALID_TRANSITION, "acd.end without acd.start"));
    Buffer current = Buffer.buffer();
    new ProcessedEventCodec().encodeToWire(current, original.forTarget("vip", 2));
    Buffer v2 = Buffer.buffer().appendByte((byte) 2)
        .appendBuffer(current.getBuffer(1, current.length() - 4 - 4 - "vip".length()));
    ProcessedEvent back = new ProcessedEventCodec().decodeFromWire(0, v2);
    assertEquals(original, back);
    assertEquals(null, back.matched());
    assertEquals(0, back.parts());
  }

  @Test
  void verifiesThatTheMatchedPatternAndPartsSurviveTheWire() {
    ProcessedEvent original = new ProcessedEvent(event(false, "e7"), "queued", 3, null, 99).forTarget("voice", 3);
    assertEquals(original, roundTrip(new ProcessedEventCodec(), original));
  }

  @Test
  void verifiesThatANewerProcessedEventVersionIsRejectedLoudly() {
    Buffer wire = Buffer.buffer();
    new ProcessedEventCodec().encodeToWire(wire, new ProcessedEvent(event(false, "e5"), "queued", 3, null, 99));
    wire.setByte(0, (byte) 4);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new ProcessedEventCodec().decodeFromWire(0, wire));
    assertEquals("codec switchboard.processed-event.v1 cannot read wire version 4 (expected 1 to 3)", e.getMessage());
  }

  @Test
  void verifiesThatADeadLetterSurvivesTheWireIncludingNulls() {
    DeadLetter original = new DeadLetter(Ticket.NONE, DeadLetter.Stage.VALIDATE, DeadLetter.Reason.SCHEMA_INVALID,
        "/detail/eventBody/eventTime: expected integer", null, "e1", null, 1, 10, 11, 12, Buffer.buffer("{not json"), 0);
    assertEquals(original, roundTrip(new DeadLetterCodec(), original));
  }

  @Test
  void verifiesThatADeadLettersSettlementPartsSurviveTheWire() {
    DeadLetter original = new DeadLetter(new Ticket("settle.http-1", 42), DeadLetter.Stage.DISPATCH,
        DeadLetter.Reason.RETRIES_EXHAUSTED, "gave up", "crm", "e1", "c", 3, 10, 11, 12, Buffer.buffer("{}"), 3);
    assertEquals(3, roundTrip(new DeadLetterCodec(), original).settleParts());
  }

  @Test
  void verifiesThatAVersion1DeadLetterIsReadWithThePartsItsWriterSettled() {
    // Before version 2 the writer settled one part for stages before dispatch; dispatchers settled their own.
    for (DeadLetter.Stage stage : List.of(DeadLetter.Stage.STATE, DeadLetter.Stage.DISPATCH)) {
      DeadLetter current = new DeadLetter(new Ticket("settle.http-1", 42), stage, DeadLetter.Reason.INTERNAL_ERROR,
          "boom", null, "e1", "c", 1, 10, 11, 12, Buffer.buffer("{}"), 7);
      Buffer wire = Buffer.buffer();
      new DeadLetterCodec().encodeToWire(wire, current);
      Buffer v1 = Buffer.buffer().appendString("prefix").appendByte((byte) 1)
          .appendBuffer(wire.getBuffer(1, wire.length() - 4)); // without the trailing settleParts int
      DeadLetter read = new DeadLetterCodec().decodeFromWire("prefix".length(), v1);
      assertEquals(stage == DeadLetter.Stage.DISPATCH ? 0 : 1, read.settleParts(), stage.name());
      assertEquals(current.payload(), read.payload());
    }
  }

  @Test
  void verifiesThatANewerDeadLetterVersionIsRejectedLoudly() {
    Buffer wire = Buffer.buffer();
    new DeadLetterCodec().encodeToWire(wire, new DeadLetter(Ticket.NONE, DeadLetter.Stage.INGEST,
        DeadLetter.Reason.UNPARSEABLE_JSON, "bad", null, null, null, 1, 1, 1, 1, Buffer.buffer("x"), 0));
    wire.setByte(0, (byte) 3);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new DeadLetterCodec().decodeFromWire(0, wire));
    assertEquals("codec switchboard.dead-letter.v1 cannot read wire version 3 (expected 1 to 2)", e.getMessage());
  }

  @Test
  void verifiesThatSettlementsAndVerdictsSurviveTheWire() {
    Settlement settlement = new Settlement(7, 3, Settlement.Outcome.DELIVERED);
    assertEquals(settlement, roundTrip(new SettlementCodec(), settlement));
    for (DedupVerdict verdict : DedupVerdict.values()) {
      assertEquals(new Verdict(9, verdict), roundTrip(new VerdictCodec(), new Verdict(9, verdict)));
    }
  }

  @Test
  void verifiesThatAWrongVersionByteIsRejectedLoudly() {
    Buffer wire = Buffer.buffer();
    new SettlementCodec().encodeToWire(wire, new Settlement(1, 1, Settlement.Outcome.DUPLICATE));
    wire.setByte(0, (byte) 9);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> new SettlementCodec().decodeFromWire(0, wire));
    assertEquals("codec switchboard.settlement.v1 cannot read wire version 9 (expected 1)", e.getMessage());
  }

  @Test
  void verifiesThatRegisteringTwiceIsHarmless() {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      Codecs.registerAll(vertx.eventBus());
      Codecs.registerAll(vertx.eventBus());
    } finally {
      vertx.close();
    }
  }
}
