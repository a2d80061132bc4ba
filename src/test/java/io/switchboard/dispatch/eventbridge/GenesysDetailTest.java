package io.switchboard.dispatch.eventbridge;

import io.switchboard.it.Samples;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenesysDetailTest {

  private static String located(String json) {
    Buffer buffer = Buffer.buffer(json);
    return GenesysDetail.locate(buffer).text(buffer);
  }

  @Test
  void verifiesThatTheEnvelopesDetailIsFoundByteForByteInEverySample() {
    for (String sample : Samples.all()) {
      Buffer payload = Samples.bytes(sample);
      GenesysDetail.Slice slice = GenesysDetail.locate(payload);
      String text = slice.text(payload);
      String file = payload.toString(StandardCharsets.UTF_8);
      assertEquals(file.indexOf("\"detail\": {") + "\"detail\": ".length(), file.indexOf(text), sample);
      assertEquals(Samples.json(sample).getJsonObject("detail"), new JsonObject(text), sample);
      assertEquals(text.getBytes(StandardCharsets.UTF_8).length, slice.length(), sample);
    }
  }

  @Test
  void verifiesThatNumbersEscapesAndKeyOrderAreKeptVerbatim() {
    String detail = "{\"z\":1.50,\"a\":\"\\u00e9\\\"}\",\"n\":[{\"detail\":{}}]}";
    assertEquals(detail, located("{\"detail-type\":\"x\",\"detail\":" + detail + ",\"id\":\"1\"}"));
    assertEquals(detail, located(" {\n \"detail\" :\t" + detail + " , \"detail-type\" : \"x\" }\n"));
  }

  @Test
  void verifiesThatKeysAreMatchedAsAParserWouldMatchThem() {
    // An escaped key is the same key; a repeated key counts by its last occurrence; a key inside a value is not one.
    assertEquals("{\"b\":2}", located("{\"detail-type\":\"x\",\"\\u0064etail\":{\"b\":2}}"));
    assertEquals("{\"b\":2}", located("{\"detail-type\":\"x\",\"detail\":{\"a\":1},\"detail\":{\"b\":2}}"));
    String nested = "{\"event\":{\"detail-type\":\"x\",\"detail\":{\"a\":1}},\"note\":\"\\\"detail\\\":{}\"}";
    assertEquals(nested, located(nested));
  }

  @Test
  void verifiesThatAMessageWithoutAnEnvelopeIsTakenWhole() {
    Buffer message = Samples.bytes("ws-msg-detail-acd-start.json");
    String text = GenesysDetail.locate(message).text(message);
    assertEquals(message.toString(StandardCharsets.UTF_8).trim(), text);
    // Both keys are needed to be an envelope, as for the normaliser; a detail that is not an object is no detail.
    assertEquals("{\"detail\":{\"a\":1}}", located("{\"detail\":{\"a\":1}}"));
    assertEquals("{\"detail-type\":\"x\",\"detail\":\"text\"}", located("{\"detail-type\":\"x\",\"detail\":\"text\"}"));
    assertEquals("{}", located("  {} "));
  }

  @Test
  void verifiesThatMalformedPayloadsAreRefusedNotMisread() {
    for (String bad : new String[] {"", "[1]", "{\"detail\":", "{\"a\":1", "{\"a\" 1}", "{\"a\":1} x", "{\"a\":\"x}"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> located(bad), bad);
      assertTrue(e.getMessage().startsWith("payload is not a well-formed JSON object"), e.getMessage());
    }
  }
}
