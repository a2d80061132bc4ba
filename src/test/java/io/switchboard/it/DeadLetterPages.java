package io.switchboard.it;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Every dead letter, read through {@code GET /dlq} page by page as an operator would. */
final class DeadLetterPages {

  private DeadLetterPages() {
  }

  /** All entries, oldest first; fails if a page is not 200 or the DLQ skipped a line it could not read. */
  static Future<List<JsonObject>> all(TestServer server) {
    return from(server, null, new ArrayList<>());
  }

  private static Future<List<JsonObject>> from(TestServer server, String cursor, List<JsonObject> entries) {
    String query = "/dlq?limit=1000" + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
    return server.get(query).compose(response -> {
      if (response.statusCode() != 200) {
        return Future.failedFuture(new AssertionError("GET " + query + " answered " + response.statusCode() + ": "
            + response.bodyAsString()));
      }
      JsonObject page = response.bodyAsJsonObject();
      if (page.getLong("corruptLinesSkipped", 0L) != 0) {
        return Future.failedFuture(new AssertionError("the DLQ holds lines it cannot read: " + page.getLong("corruptLinesSkipped")));
      }
      page.getJsonArray("entries").forEach(e -> entries.add((JsonObject) e));
      String next = page.getString("nextCursor");
      return next == null ? Future.succeededFuture(entries) : from(server, next, entries);
    });
  }
}
