package io.switchboard.ingest;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@DisplayName("CanonicalJson and Fingerprint")
class FingerprintTest {

  private static final String TOPIC = "v2.detail.events.conversation.890737b5-2d33-4c3d-ae24-e66f93a12d8b.acd.end";

  private static JsonObject parse(String json) {
    return (JsonObject) Buffer.buffer(json).toJsonValue();
  }

  /** The definition, computed the slow way: hash of the whole canonical string. */
  private static String reference(String topic, JsonObject body) throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256")
        .digest((topic + "\n" + CanonicalJson.toCanonicalString(body)).getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(Arrays.copyOf(digest, 16));
  }

  @Test
  @DisplayName("verifies that object keys are sorted recursively and whitespace is dropped")
  void verifiesThatKeysAreSortedAndWhitespaceDropped() {
    JsonObject body = parse("{ \"b\" : [ 1 , { \"z\" : null , \"a\" : true } ] ,\n \"a\" : \"x\", \"A\": false }");

    assertEquals("{\"A\":false,\"a\":\"x\",\"b\":[1,{\"a\":true,\"z\":null}]}", CanonicalJson.toCanonicalString(body));
  }

  @Test
  @DisplayName("verifies that integral numbers have one spelling whatever their JSON form")
  void verifiesThatIntegralNumbersAgree() {
    assertEquals("{\"a\":1,\"b\":1,\"c\":1,\"d\":0,\"e\":100}",
        CanonicalJson.toCanonicalString(parse("{\"a\":1,\"b\":1.0,\"c\":1e0,\"d\":-0.0,\"e\":1E2}")));
    assertEquals("[1,1,1,1,2.5]", CanonicalJson.toCanonicalString(
        new JsonArray().add(1L).add(new BigDecimal("1.000")).add(BigInteger.ONE).add(1.0f).add(2.5)));
    assertEquals("[12345678901234567890123,-9223372036854775808,1.0E300,0.001]", CanonicalJson.toCanonicalString(
        Buffer.buffer("[12345678901234567890123,-9223372036854775808,1e300,0.001]").toJsonValue()));
  }

  @Test
  @DisplayName("verifies that strings are escaped minimally and non-ASCII is written as UTF-8")
  void verifiesThatStringsAreEscapedMinimally() {
    JsonObject body = new JsonObject().put("s", "q\"b\\n\nt\tc\u0001/é😀");

    assertEquals("{\"s\":\"q\\\"b\\\\n\\nt\\tc\\u0001/é😀\"}", CanonicalJson.toCanonicalString(body));
  }

  @Test
  @DisplayName("verifies that key order and whitespace differences give the same fingerprint")
  void verifiesThatLayoutDoesNotChangeFingerprint() {
    JsonObject compact = parse("{\"eventTime\":1741701795506,\"queueId\":\"q\",\"requestedRoutings\":[\"STANDARD\"],"
        + "\"journey\":{\"a\":1,\"b\":2}}");
    JsonObject pretty = parse("{\n  \"journey\" : { \"b\" : 2, \"a\" : 1.0 },\n  \"requestedRoutings\" : [ \"STANDARD\" ],"
        + "\n  \"queueId\" : \"q\",\n  \"eventTime\" : 1741701795506\n}");

    assertEquals(Fingerprint.of(TOPIC, compact), Fingerprint.of(TOPIC, pretty));
  }

  @Test
  @DisplayName("verifies that array order, values and the topic all change the fingerprint")
  void verifiesThatContentChangesFingerprint() {
    JsonObject body = parse("{\"a\":[1,2],\"b\":\"x\"}");

    assertNotEquals(Fingerprint.of(TOPIC, body), Fingerprint.of(TOPIC, parse("{\"a\":[2,1],\"b\":\"x\"}")));
    assertNotEquals(Fingerprint.of(TOPIC, body), Fingerprint.of(TOPIC, parse("{\"a\":[1,2],\"b\":\"y\"}")));
    assertNotEquals(Fingerprint.of(TOPIC, body), Fingerprint.of(TOPIC.replace("acd.end", "acd.start"), body));
    assertNotEquals(Fingerprint.of(TOPIC, parse("{\"a\":\"1\"}")), Fingerprint.of(TOPIC, parse("{\"a\":1}")));
  }

  @Test
  @DisplayName("verifies that the fingerprint is the first 16 bytes of SHA-256 over topic, newline, canonical body")
  void verifiesThatFingerprintMatchesKnownVectors() {
    // Computed independently: sha256(b't\n{}') and sha256('<topic>\n{"a":[1,2.5,"é😀"],"b":true}'.encode()).
    assertEquals("53483cb46c6e871463e91efe3683f0ad", Fingerprint.of("t", new JsonObject()));
    assertEquals("22a1fdf10d320e7e48301f163a42e077", Fingerprint.of("v2.detail.events.conversation.x.acd.end",
        parse("{\"b\":true,\"a\":[1,2.5,\"é😀\"]}")));
  }

  @Test
  @DisplayName("verifies that streaming into the digest equals hashing the canonical string, also for large bodies")
  void verifiesThatStreamingMatchesReference() throws Exception {
    for (String sample : new String[] {"eb-voice-05-acd-end.json", "edge-oversized-attributes.json",
        "eb-multi-01-message-customer-start.json"}) {
      JsonObject detail = TestSupport.sample(sample).getJsonObject("detail");
      JsonObject body = detail.getJsonObject("eventBody");
      String fingerprint = Fingerprint.of(detail.getString("topicName"), body);

      assertEquals(reference(detail.getString("topicName"), body), fingerprint, sample);
      assertEquals(Fingerprint.HEX_LENGTH, fingerprint.length());
    }
  }

  @Test
  @DisplayName("verifies that a failed fingerprint leaves no residue in the per-thread state")
  void verifiesThatFailureDoesNotPoisonNextCall() throws Exception {
    JsonObject good = parse("{\"a\":1}");
    String expected = Fingerprint.of(TOPIC, good);
    JsonObject bad = new JsonObject(Map.of("a", "x", "z", new Object()));

    assertThrows(IllegalArgumentException.class, () -> Fingerprint.of(TOPIC, bad));

    assertEquals(expected, Fingerprint.of(TOPIC, good));
    assertEquals(reference(TOPIC, good), expected);
  }

  @Test
  @DisplayName("verifies that a lone surrogate is written as a stable escape")
  void verifiesThatLoneSurrogateIsEscaped() {
    assertEquals("\"\\ud800x\"", CanonicalJson.toCanonicalString("\ud800x"));
  }
}
