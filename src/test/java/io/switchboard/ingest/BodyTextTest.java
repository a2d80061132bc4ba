package io.switchboard.ingest;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@DisplayName("BodyText")
class BodyTextTest {

  @Test
  @DisplayName("verifies that UTF-8 text up to four-byte sequences passes, escapes and all")
  void verifiesThatWellFormedUtf8Passes() {
    String text = "{\"a\":\"plain é 中 😀 \\u0000 \\ufeff \uFEFF\",\"b\":[1]}";

    assertDoesNotThrow(() -> BodyText.require(Buffer.buffer(text.getBytes(StandardCharsets.UTF_8))));
    assertDoesNotThrow(() -> BodyText.require(TestSupport.sampleBytes("eb-voice-01-customer-start.json")));
    assertDoesNotThrow(() -> BodyText.require(Buffer.buffer()));
  }

  @ParameterizedTest(name = "verifies that {0} is refused at offset {1}")
  @CsvSource({
      "efbbbf7b7d,       0", // a UTF-8 byte order mark
      "fffe7b00,         0", // UTF-16LE with its BOM
      "0000007b,         0", // UTF-32BE, no BOM: Jackson would guess it
      "7b0022,           1", // a raw NUL
      "2280,             1", // a lone continuation byte
      "22c080,           1", // an overlong NUL
      "22eda080,         1", // a UTF-16 surrogate
      "22f4908080,       1", // past U+10FFFF
      "22e282,           1", // cut short at the end
      "22e2827b,         1", // cut short by an ASCII byte
      "22fe,             1",
  })
  void verifiesThatTextThatIsNotUtf8IsRefusedWhereItBreaks(String hex, int offset) {
    Buffer body = Buffer.buffer(HexFormat.of().parseHex(hex.trim()));

    MalformedJsonException e = assertThrows(MalformedJsonException.class, () -> BodyText.require(body));

    assertEquals(offset, e.offset(), e.getMessage());
  }

  @Test
  @DisplayName("verifies that nesting counts only brackets outside strings, and stops at the limit")
  void verifiesThatNestingIsLimited() {
    String deepest = "[".repeat(BodyText.MAX_DEPTH) + "\"[[{\\\"\"" + "]".repeat(BodyText.MAX_DEPTH);
    String deeper = "{\"a\":" + deepest + "}";

    assertDoesNotThrow(() -> BodyText.require(Buffer.buffer(deepest)));
    MalformedJsonException e = assertThrows(MalformedJsonException.class, () -> BodyText.require(Buffer.buffer(deeper)));
    assertEquals(5 + BodyText.MAX_DEPTH - 1, e.offset(), e.getMessage());
  }

  @Test
  @DisplayName("verifies that a sample re-encoded as UTF-16 or UTF-32 is refused")
  void verifiesThatWideEncodingsAreRefused() {
    String sample = TestSupport.sampleBytes("eb-voice-01-customer-start.json").toString(StandardCharsets.UTF_8);

    for (Charset charset : new Charset[] {StandardCharsets.UTF_16, StandardCharsets.UTF_16LE, Charset.forName("UTF-32")}) {
      assertThrows(MalformedJsonException.class, () -> BodyText.require(Buffer.buffer(sample.getBytes(charset))),
          charset.name());
    }
  }
}
