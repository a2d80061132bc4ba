package io.switchboard.files;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hand-written string quoting must write exactly what Jackson writes, and read back to the same string. */
class JsonLinesQuoteTest {

  @Test
  void verifiesThatQuotingMatchesJacksonForEveryControlCharacterAndTrickyText() {
    List<String> values = new ArrayList<>(List.of("", "plain", "say \"hi\"", "back\\slash", "tab\there",
        "line\nbreak\r\n", "é ü ß – ☎ 📞", "</script>", "\u007f\u0080\u2028\u2029", "mixed \u0001\"\\\n end"));
    for (char c = 0; c < 0x20; c++) {
      values.add("x" + c + "y");
    }
    for (String value : values) {
      String quoted = JsonLines.quote(value);
      assertEquals(Json.encode(value), quoted, () -> "for " + Json.encode(value));
      assertEquals(value, new JsonArray("[" + quoted + "]").getString(0));
    }
    assertEquals("null", JsonLines.quote(null));
  }
}
