package io.switchboard.it;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The server's answers to poison, checked as they arrive: a status outside the documented set or inconsistent with the
 * body, a {@code 202} whose results do not add up, a {@code 400} not dead-lettered, are problems at once. What the
 * acknowledged items owe goes to {@link OwedItems}. Used from one Vert.x context while answers arrive, then read
 * once they all have.
 */
final class IngestLedger {

  /** The documented answers of {@code POST /events} to a request carrying no credentials problem. */
  static final Set<Integer> DOCUMENTED = Set.of(202, 400, 413, 415, 429, 503);
  private static final int MAX_PROBLEMS = 25;

  private final int maxBodyBytes;
  private final int maxItems;
  private final OwedItems owed = new OwedItems();
  private final Map<String, Integer> tally = new TreeMap<>();
  private final List<String> problems = new ArrayList<>();
  private int problemCount;
  private long bytesPosted;

  /**
   * @param maxBodyBytes the server's {@code http.maxBodyBytes}
   * @param maxItems     the most items a body may hold ({@code http.maxInFlight})
   */
  IngestLedger(int maxBodyBytes, int maxItems) {
    this.maxBodyBytes = maxBodyBytes;
    this.maxItems = maxItems;
  }

  void answered(PoisonBodies.Poison poison, HttpResponse<Buffer> response) {
    bytesPosted += poison.bytes().length();
    try {
      check(poison, response);
    } catch (RuntimeException e) {
      problem(poison, "unreadable answer " + response.statusCode() + " (" + e + "): " + clip(response.bodyAsString()));
    }
  }

  private void check(PoisonBodies.Poison poison, HttpResponse<Buffer> response) {
    int status = response.statusCode();
    tally.merge(poison.kind() + " " + status, 1, Integer::sum);
    String wrong = wrongStatus(poison, status);
    if (wrong != null) {
      problem(poison, wrong + ": " + clip(response.bodyAsString()));
    } else if ((status == 429 || status == 503) && response.getHeader("Retry-After") == null) {
      problem(poison, status + " without Retry-After");
    } else if (status == 400) {
      unparseableAnswered(poison, response.bodyAsJsonObject());
    } else if (status == 202) {
      acknowledged(poison, response.bodyAsJsonObject());
    }
  }

  /** Why {@code status} is not an answer the README allows for this body, or null when it is. */
  private String wrongStatus(PoisonBodies.Poison poison, int status) {
    boolean jsonType = PoisonBodies.JSON_TYPES.contains(poison.contentType());
    boolean oversized = poison.bytes().length() > maxBodyBytes;
    boolean tooManyItems = poison.items() > maxItems;
    if (!DOCUMENTED.contains(status)) {
      return "undocumented status " + status;
    }
    if ((status == 415) == jsonType) {
      return status + " for content type " + poison.contentType();
    }
    if (!jsonType) {
      return null;
    }
    if (oversized && status != 413) {
      return status + " for a body over " + maxBodyBytes + " bytes";
    }
    if (tooManyItems && status != 413 && status != 429) {
      return status + " for an array of " + poison.items() + " items, over " + maxItems;
    }
    return status == 413 && !oversized && !tooManyItems ? "413 for a body within both limits" : null;
  }

  void unanswered(PoisonBodies.Poison poison, Throwable failure) {
    tally.merge(poison.kind() + " no answer", 1, Integer::sum);
    problem(poison, "no answer: " + failure);
  }

  private void unparseableAnswered(PoisonBodies.Poison poison, JsonObject answer) {
    if (!Boolean.TRUE.equals(answer.getBoolean("deadLettered"))) {
      problem(poison, "400 without the body dead-lettered: " + answer.encode());
      return;
    }
    owed.unparseable();
  }

  private void acknowledged(PoisonBodies.Poison poison, JsonObject answer) {
    JsonArray results = answer.getJsonArray("results");
    if (results == null || (poison.items() < 0 ? results.isEmpty() : results.size() != poison.items())) {
      problem(poison, "202 with " + (results == null ? "no" : results.size()) + " results for " + poison.items()
          + " items");
      return;
    }
    Map<String, Integer> counted = new HashMap<>();
    for (int i = 0; i < results.size(); i++) {
      JsonObject item = results.getJsonObject(i);
      String status = item.getString("status");
      counted.merge(status, 1, Integer::sum);
      if (item.getInteger("index") != i) {
        problem(poison, "result " + i + " has index " + item.getInteger("index"));
      }
      owe(poison, item, status);
    }
    for (String[] count : new String[][] {{"accepted", "accepted"}, {"duplicates", "duplicate"},
        {"deadLettered", "dead_lettered"}, {"ignored", "ignored"}}) {
      if (!Objects.equals(answer.getInteger(count[0]), counted.getOrDefault(count[1], 0))) {
        problem(poison, count[0] + " says " + answer.getInteger(count[0]) + ", results hold " + counted.get(count[1]));
      }
    }
  }

  private void owe(PoisonBodies.Poison poison, JsonObject item, String status) {
    String eventId = item.getString("eventId");
    String conversationId = item.getString("conversationId");
    switch (status) {
      case "accepted" -> owed.accepted(eventId, conversationId);
      case "duplicate" -> {
        if ("duplicate_id".equals(item.getString("reason"))) {
          owed.originalOf(eventId);
        }
      }
      case "dead_lettered" -> {
        String reason = item.getString("reason");
        if (reason == null || reason.isEmpty()) {
          problem(poison, "dead-lettered without a reason: " + item.encode());
        } else {
          owed.deadLettered(reason, eventId, conversationId);
        }
      }
      case "ignored" -> {
      }
      default -> problem(poison, "202 with an item " + status + ": " + item.encode());
    }
  }

  List<String> problems() {
    List<String> all = new ArrayList<>(problems);
    if (problemCount > problems.size()) {
      all.add("... and " + (problemCount - problems.size()) + " more");
    }
    return all;
  }

  /** Answers by kind of poison and status, e.g. {@code "TRUNCATED 400" -> 871}. */
  Map<String, Integer> tally() {
    return tally;
  }

  /** What the acknowledged items owe, once every answer is in. */
  OwedItems owed() {
    return owed;
  }

  /** Bytes of the bodies the server answered. */
  long bytesPosted() {
    return bytesPosted;
  }

  private void problem(PoisonBodies.Poison poison, String what) {
    if (++problemCount <= MAX_PROBLEMS) {
      problems.add(poison + ": " + what);
    }
  }

  static String clip(String s) {
    return s == null || s.length() <= 300 ? s : s.substring(0, 300) + "...";
  }
}
