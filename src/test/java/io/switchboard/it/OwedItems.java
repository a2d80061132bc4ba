package io.switchboard.it;

import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What the items the server acknowledged owe: an accepted one (and the original of an id duplicate) must end up
 * delivered or dead-lettered, a dead-lettered one and a body answered {@code 400} must be in the DLQ, each with a
 * reason. Items answered {@code 429} or {@code 503} owe nothing and are never recorded.
 */
final class OwedItems {

  private static final int MAX_PROBLEMS = 25;
  private static final Set<String> ADMISSION_STAGES = Set.of("ingest", "validate");

  /**
   * A dead letter as the 202 answer names it; an id too long to keep is kept as its digest, so that what is owed stays
   * small beside the heap the test measures.
   */
  private record Letter(String reason, String eventId, String conversationId) {
    static Letter of(String reason, String eventId, String conversationId) {
      return new Letter(reason, compact(eventId), compact(conversationId));
    }

    private static String compact(String id) {
      return id == null || id.length() <= 64 ? id
          : id.length() + " characters, md5 " + UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8));
    }
  }

  private final Set<String> acceptedIds = new HashSet<>();
  /** Notification messages carry no id: counted per conversation. */
  private final Map<String, Integer> acceptedWithoutId = new HashMap<>();
  private final Set<String> originalIds = new HashSet<>();
  private final Map<Letter, Integer> owedLetters = new HashMap<>();
  private int unparseable;

  void accepted(String eventId, String conversationId) {
    if (eventId != null) {
      acceptedIds.add(eventId);
    } else {
      acceptedWithoutId.merge(String.valueOf(conversationId), 1, Integer::sum);
    }
  }

  /** An id duplicate: the event first seen under {@code eventId} owes its outcome. */
  void originalOf(String eventId) {
    originalIds.add(eventId);
  }

  void deadLettered(String reason, String eventId, String conversationId) {
    owedLetters.merge(Letter.of(reason, eventId, conversationId), 1, Integer::sum);
  }

  /** A body answered {@code 400}: its raw bytes are owed to the DLQ. */
  void unparseable() {
    unparseable++;
  }

  int acceptedCount() {
    return acceptedIds.size() + acceptedWithoutId.values().stream().mapToInt(Integer::intValue).sum();
  }

  int deadLetteredCount() {
    return owedLetters.values().stream().mapToInt(Integer::intValue).sum();
  }

  int unparseableCount() {
    return unparseable;
  }

  /**
   * Problems with what happened to the acknowledged items, given every line of the target and every dead letter:
   * an accepted one (or the original of an id duplicate) found in neither, a dead letter or 400 body missing from
   * the DLQ, a dead letter without a reason.
   */
  List<String> unsettled(List<JsonObject> delivered, List<JsonObject> deadLetters) {
    List<String> missing = new ArrayList<>();
    Set<String> seenIds = new HashSet<>();
    Map<String, Integer> seenWithoutId = new HashMap<>();
    Map<Letter, Integer> letters = new HashMap<>();
    for (JsonObject line : delivered) {
      seen(line, seenIds, seenWithoutId);
    }
    for (JsonObject letter : deadLetters) {
      String reason = letter.getString("reason");
      if (reason == null || reason.isEmpty()) {
        missing.add("dead letter without a reason: " + IngestLedger.clip(letter.encode()));
      }
      letters.merge(Letter.of(reason, letter.getString("eventId"), letter.getString("conversationId")), 1,
          Integer::sum);
      if (!ADMISSION_STAGES.contains(letter.getString("stage"))) {
        // Only a stage after admission can be where an accepted event ended.
        seen(letter, seenIds, seenWithoutId);
      }
    }
    acceptedIds.stream().filter(id -> !seenIds.contains(id))
        .forEach(id -> missing.add("accepted event " + id + " neither delivered nor dead-lettered"));
    originalIds.stream().filter(id -> !seenIds.contains(id))
        .forEach(id -> missing.add("the original of duplicate " + id + " neither delivered nor dead-lettered"));
    acceptedWithoutId.forEach((conversation, count) -> {
      if (seenWithoutId.getOrDefault(conversation, 0) < count) {
        missing.add(count + " accepted notifications of conversation " + conversation + ", only "
            + seenWithoutId.getOrDefault(conversation, 0) + " delivered or dead-lettered");
      }
    });
    owedLetters.forEach((letter, count) -> {
      if (letters.getOrDefault(letter, 0) < count) {
        missing.add(count + " dead-lettered as " + letter + ", " + letters.getOrDefault(letter, 0) + " in the DLQ");
      }
    });
    long unparseableLetters = deadLetters.stream().filter(l -> "unparseable_json".equals(l.getString("reason"))).count();
    if (unparseableLetters < unparseable) {
      missing.add(unparseable + " bodies answered 400, " + unparseableLetters + " unparseable_json dead letters");
    }
    return missing.size() > MAX_PROBLEMS ? missing.subList(0, MAX_PROBLEMS) : missing;
  }

  private static void seen(JsonObject line, Set<String> ids, Map<String, Integer> withoutId) {
    String eventId = line.getString("eventId");
    if (eventId != null) {
      ids.add(eventId);
    } else if (line.getString("conversationId") != null) {
      withoutId.merge(line.getString("conversationId"), 1, Integer::sum);
    }
  }

}
