package io.switchboard.ingest;

import io.switchboard.ingest.JsonArraySplitter.BodyShape;
import io.switchboard.ingest.NormalizeResult.Normalized;
import io.switchboard.message.Ticket;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("JsonArraySplitter")
class JsonArraySplitterTest {

  private static List<String> split(String json) {
    List<String> out = new ArrayList<>();
    for (Buffer element : JsonArraySplitter.split(Buffer.buffer(json))) {
      out.add(element.toString(StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  @DisplayName("verifies that each kind of element comes back verbatim and trimmed")
  void verifiesThatElementsComeBackVerbatim() {
    assertEquals(List.of("{\"a\" : 1}", "[1, 2]", "\"x\"", "-3.5e+2", "true", "null"),
        split(" \n[ {\"a\" : 1} ,\t[1, 2],\"x\",-3.5e+2 , true,\r\nnull ] \n"));
  }

  @Test
  @DisplayName("verifies that brackets, braces and escaped quotes inside strings do not end an element")
  void verifiesThatStringContentIsOpaque() {
    String first = "{\"a\":\"]}\\\"[{,\",\"b\":\"\\\\\"}";
    String second = "\"\\\\\\\"]\"";

    assertEquals(List.of(first, second), split("[" + first + "," + second + "]"));
  }

  @Test
  @DisplayName("verifies that nested arrays and objects are one element each")
  void verifiesThatNestingIsTracked() {
    String deep = "[[1,[2,[3,{\"x\":[[]]}]]],{}]";

    assertEquals(List.of(deep, "[]", "{\"k\":[{\"l\":[1]}]}"), split("[" + deep + ",[],{\"k\":[{\"l\":[1]}]}]"));
  }

  @Test
  @DisplayName("verifies that nesting deeper than the initial bracket stack is handled")
  void verifiesThatVeryDeepNestingIsHandled() {
    String deep = "[".repeat(5000) + "]".repeat(5000);

    assertEquals(List.of(deep), split("[" + deep + "]"));
  }

  @Test
  @DisplayName("verifies that an empty array has no elements")
  void verifiesThatEmptyArrayIsEmpty() {
    assertEquals(List.of(), split("[]"));
    assertEquals(List.of(), split("  [ \n ]\n"));
  }

  @Test
  @DisplayName("verifies that multi-byte UTF-8 is copied byte for byte")
  void verifiesThatUtf8IsPreserved() {
    byte[] element = "{\"name\":\"Zoë 😀 \\u00e9\"}".getBytes(StandardCharsets.UTF_8);
    Buffer body = Buffer.buffer("[").appendBytes(element).appendString("]");

    List<Buffer> elements = JsonArraySplitter.split(body);

    assertEquals(1, elements.size());
    assertArrayEquals(element, elements.get(0).getBytes());
  }

  @Test
  @DisplayName("verifies that elements are copies that do not change when the body buffer is reused")
  void verifiesThatElementsAreIndependentCopies() {
    Buffer body = Buffer.buffer("[{\"a\":1}]");
    Buffer element = JsonArraySplitter.split(body).get(0);

    body.setByte(6, (byte) '9');

    assertEquals("{\"a\":1}", element.toString());
  }

  @ParameterizedTest(name = "verifies that malformed input {0} is rejected at offset {1}")
  @CsvSource(delimiter = '|', value = {
      "''                | 0",
      "'   '             | 3",
      "'{\"a\":1}'       | 0",
      "'[{\"a\":1}'      | 8",
      "'[1,]'            | 3",
      "'[,1]'            | 1",
      "'[1 2]'           | 3",
      "'[1]x'            | 3",
      "'[1] ]'           | 4",
      "'[{]'             | 2",
      "'[[}]'            | 2",
      "'[\"abc'          | 5",
      "'[\"a\\\"]'       | 6",
      "'[1,'             | 3",
      "'[#]'             | 1",
  })
  void verifiesThatMalformedInputIsRejectedWithOffset(String body, int offset) {
    MalformedJsonException e = assertThrows(MalformedJsonException.class, () -> JsonArraySplitter.split(Buffer.buffer(body)));

    assertEquals(offset, e.offset(), e.getMessage());
    assertTrue(e.getMessage().endsWith("at offset " + offset), e.getMessage());
  }

  @Test
  @DisplayName("verifies that an array of more elements than the limit is refused, and one at the limit is not")
  void verifiesThatTheElementLimitHolds() {
    Buffer three = Buffer.buffer("[1, {}, null]");

    assertEquals(3, JsonArraySplitter.split(three, 3).size());
    assertThrows(TooManyItemsException.class, () -> JsonArraySplitter.split(three, 2));
    assertEquals(0, JsonArraySplitter.split(Buffer.buffer("[]"), 0).size());
  }

  @Test
  @DisplayName("verifies that the truncated sample inside an array is rejected as unterminated")
  void verifiesThatTruncatedSampleIsRejected() {
    Buffer body = Buffer.buffer("[").appendBuffer(TestSupport.sampleBytes("edge-invalid-json-truncated.txt"));

    MalformedJsonException e = assertThrows(MalformedJsonException.class, () -> JsonArraySplitter.split(body));

    assertTrue(e.getMessage().contains("unterminated"), e.getMessage());
  }

  @ParameterizedTest(name = "verifies that a body starting {0} is seen as {1}")
  @CsvSource(delimiter = '|', value = {
      "'[1]'        | ARRAY",
      "'   ['      | ARRAY",
      "'{}'         | OBJECT",
      "'  {\"a\"'   | OBJECT",
      "''           | OTHER",
      "'   '        | OTHER",
      "'\"x\"'      | OTHER",
      "'null'       | OTHER",
  })
  void verifiesThatShapeIsTakenFromFirstSignificantByte(String body, BodyShape shape) {
    assertEquals(shape, JsonArraySplitter.shapeOf(Buffer.buffer(body)));
  }

  @Test
  @DisplayName("verifies that every JSON whitespace byte is skipped before the first significant byte")
  void verifiesThatAllJsonWhitespaceIsSkipped() {
    assertEquals(BodyShape.ARRAY, JsonArraySplitter.shapeOf(Buffer.buffer(" \r\n\t[1]")));
    assertEquals(BodyShape.OBJECT, JsonArraySplitter.shapeOf(Buffer.buffer("\n\n\t{}")));
  }

  @Test
  @DisplayName("verifies that a batch of samples splits into each sample's exact bytes, which normalize")
  void verifiesThatSampleBatchSplitsIntoOriginalBytes() {
    List<String> samples = List.of("eb-voice-01-customer-start.json", "eb-voice-05-acd-end.json",
        "eb-voice-07-attributes.json", "eb-multi-06-callback-acd-start.json", "edge-oversized-attributes.json");
    Buffer batch = Buffer.buffer("[\n");
    for (int i = 0; i < samples.size(); i++) {
      batch.appendString(i == 0 ? "  " : " ,\n  ").appendBuffer(TestSupport.sampleBytes(samples.get(i)));
    }
    batch.appendString("\n]\n");
    EventNormalizer normalizer = new EventNormalizer(TestSupport.schemas(), true);

    List<Buffer> elements = JsonArraySplitter.split(batch);

    assertEquals(samples.size(), elements.size());
    for (int i = 0; i < samples.size(); i++) {
      String trimmed = TestSupport.sampleBytes(samples.get(i)).toString(StandardCharsets.UTF_8).strip();
      assertEquals(trimmed, elements.get(i).toString(StandardCharsets.UTF_8), samples.get(i));
      Buffer element = elements.get(i);
      NormalizeResult result = normalizer.normalize((JsonObject) element.toJsonValue(), element, "eventbridge",
          Ticket.NONE, 0);
      assertEquals(element, assertInstanceOf(Normalized.class, result, samples.get(i)).event().payload());
    }
  }
}
