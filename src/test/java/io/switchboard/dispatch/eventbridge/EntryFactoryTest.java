package io.switchboard.dispatch.eventbridge;

import io.switchboard.config.ConfigNode;
import io.switchboard.dispatch.Delivery;
import io.switchboard.dispatch.eventbridge.EntryFactory.SizedEntry;
import io.switchboard.it.Samples;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EntryFactoryTest {

  private static EntryFactory factory(String json) {
    return new EntryFactory(EventBridgeTargetOptions.from(new ConfigNode(new JsonObject(json), "t"), name -> null));
  }

  /** The size as AWS's "Calculating PutEvents event entry size" example code computes it. */
  private static int awsSize(PutEventsRequestEntry entry) {
    int size = entry.time() != null ? 14 : 0;
    size += entry.source().getBytes(StandardCharsets.UTF_8).length;
    size += entry.detailType().getBytes(StandardCharsets.UTF_8).length;
    size += entry.detail() == null ? 0 : entry.detail().getBytes(StandardCharsets.UTF_8).length;
    for (String resource : entry.resources()) {
      size += resource.getBytes(StandardCharsets.UTF_8).length;
    }
    return size;
  }

  @Test
  void verifiesThatAnEnvelopeBecomesItsGenesysDetailUnderItsGenesysDetailType() {
    SizedEntry sized = factory("{\"eventBus\":\"contact-center\"}").entry(SampleDeliveries.delivery("eb-voice-05-acd-end.json"));
    PutEventsRequestEntry entry = sized.entry();
    JsonObject envelope = Samples.json("eb-voice-05-acd-end.json");
    assertEquals("contact-center", entry.eventBusName());
    assertEquals("switchboard", entry.source());
    assertEquals(envelope.getString("detail-type"), entry.detailType());
    assertEquals(envelope.getJsonObject("detail"), new JsonObject(entry.detail()));
    assertEquals(Instant.ofEpochMilli(envelope.getJsonObject("detail").getJsonObject("eventBody").getLong("eventTime")),
        entry.time());
    assertTrue(entry.resources().isEmpty());
    assertNull(entry.traceHeader());
    assertEquals(awsSize(entry), sized.size());
  }

  @Test
  void verifiesThatAWebSocketMessageIsItsOwnDetailWithTheSameDetailType() {
    SizedEntry sized = factory("{}").entry(SampleDeliveries.delivery("ws-msg-detail-acd-start.json"));
    assertEquals("v2.detail.events.conversation.{id}.acd.start", sized.entry().detailType());
    assertEquals(Samples.json("ws-msg-detail-acd-start.json"), new JsonObject(sized.entry().detail()));
    assertEquals(awsSize(sized.entry()), sized.size());
  }

  @Test
  void verifiesThatTheEnrichedShapeSendsTheWrapperWithItsIdempotencyKey() {
    Delivery delivery = SampleDeliveries.delivery("eb-voice-01-customer-start.json", true);
    SizedEntry sized = factory("{\"payload\":{\"shape\":\"enriched\"},\"detailType\":\"Genesys conversation event\"}")
        .entry(delivery);
    JsonObject detail = new JsonObject(sized.entry().detail());
    assertEquals(Samples.json("eb-voice-01-customer-start.json"), detail.getJsonObject("event"));
    assertEquals(delivery.idempotencyKey(), detail.getString("idempotencyKey"));
    assertEquals("Genesys conversation event", sized.entry().detailType());
    assertEquals(awsSize(sized.entry()), sized.size());
  }

  @Test
  void verifiesThatSizesCountUtf8BytesAsAwsDoes() {
    SizedEntry sized = factory("{\"source\":\"équipe.centre-d’appels\",\"detailType\":\"événement 🎧\"}")
        .entry(SampleDeliveries.delivery("eb-voice-07-attributes.json"));
    assertEquals(awsSize(sized.entry()), sized.size());
    for (String s : new String[] {"", "a", "é", "’", "🎧", "a\uD800b", "\uDC00"}) {
      assertEquals(s.getBytes(StandardCharsets.UTF_8).length, EntryFactory.utf8Length(s), s);
    }
  }

  @Test
  void verifiesThatTheOversizedSampleIsMeasuredOverTheDefaultLimit() {
    SizedEntry sized = factory("{}").entry(SampleDeliveries.delivery("edge-oversized-attributes.json"));
    assertEquals(awsSize(sized.entry()), sized.size());
    assertTrue(sized.size() > EventBridgeTargetOptions.DEFAULT_MAX_ENTRY_BYTES, "size " + sized.size());
  }
}
