package io.switchboard.it;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Seeded poison for {@code POST /events}, made from the real samples. Body {@code n} depends only on the seed and
 * {@code n}, so a failing body can be rebuilt on its own ({@code new PoisonBodies(seed).body(n)}).
 *
 * <p>Structured poison starts from a sample under a fresh envelope id, one of a few hundred fresh conversation ids
 * and a shifted eventTime, so that what survives the mutation is new to dedup and travels the whole pipeline.
 */
final class PoisonBodies {

  /** What was done to a body; the weights (per 1000 bodies) keep every kind frequent except the costly ones. */
  enum Kind {
    VALID(110), REPOST(40), TRUNCATED(90), BYTE_FLIPS(90), DEEP_NESTING(50), HUGE_ARRAY(3), WRONG_TYPE(90),
    BOM(40), INVALID_UTF8(60), EMPTY(20), DUPLICATE_KEYS(60), NULLS(70), NUMBER_FOR_STRING(70), LONG_STRING(27),
    MIXED_ARRAY(70), OVERSIZED(2), SCALAR(10), WRONG_CONTENT_TYPE(8);

    final int weight;

    Kind(int weight) {
      this.weight = weight;
    }
  }

  /**
   * One body to post.
   *
   * @param items how many results a 202 must hold, when the body is built to have a known count; else -1
   */
  record Poison(int number, Kind kind, Buffer bytes, String contentType, int items) {
    @Override
    public String toString() {
      return "body #" + number + " (" + kind + ", " + bytes.length() + " bytes, " + contentType + ")";
    }
  }

  static final List<String> JSON_TYPES = List.of("application/json", "application/json; charset=utf-8",
      "Application/JSON", "application/cloudevents+json");
  private static final List<String> OTHER_TYPES = List.of("text/plain", "application/x-www-form-urlencoded");
  private static final int CONVERSATIONS = 256;
  private static final int TOTAL_WEIGHT = List.of(Kind.values()).stream().mapToInt(k -> k.weight).sum();

  private final long seed;
  private final List<String> envelopes;
  private final List<String> others;
  private final int maxBodyBytes;

  /** @param maxBodyBytes the server's limit: oversized bodies are made just past it */
  PoisonBodies(long seed, int maxBodyBytes) {
    this.seed = seed;
    this.maxBodyBytes = maxBodyBytes;
    this.envelopes = Samples.all().stream().map(PoisonBodies::text).toList();
    this.others = List.of("ws-msg-detail-acd-start.json", "ws-msg-heartbeat.json", "ws-msg-system-socket-closing.json",
        "ws-msg-queue-conversation-voice-agent-connected.json", "edge-detail-type-topic-mismatch.json",
        "edge-missing-conversation-id.json", "edge-null-event-body.json", "edge-unknown-topic.json",
        "edge-wrong-types.json", "edge-duplicate-redelivery-acd-end.json").stream().map(PoisonBodies::text).toList();
  }

  Poison body(int number) {
    Random random = random(number);
    Kind kind = pick(random);
    String type = JSON_TYPES.get(random.nextInt(JSON_TYPES.size()));
    return switch (kind) {
      case VALID -> poison(number, kind, type, encode(random, fresh(random)));
      // The same bytes as an earlier VALID body (or a new one when none came before): dedup's turn.
      case REPOST -> repost(number, random, type);
      case TRUNCATED -> poison(number, kind, type, ByteMutations.truncate(random, encode(random, fresh(random))));
      case BYTE_FLIPS -> poison(number, kind, type, ByteMutations.flip(random, encode(random, fresh(random))));
      case DEEP_NESTING -> deepNesting(number, random, type);
      case HUGE_ARRAY -> hugeArray(number, random, type);
      case WRONG_TYPE, NULLS, NUMBER_FOR_STRING, LONG_STRING ->
          poison(number, kind, type, JsonMutations.mutate(random, kind, fresh(random)));
      case BOM -> poison(number, kind, type, ByteMutations.bom(random, encode(random, fresh(random))));
      case INVALID_UTF8 -> poison(number, kind, type, ByteMutations.invalidUtf8(random, encode(random, fresh(random))));
      case EMPTY -> poison(number, kind, type, Buffer.buffer(List.of("", " ", "\n", "\r\n\t ").get(random.nextInt(4))));
      case DUPLICATE_KEYS -> poison(number, kind, type, ByteMutations.duplicateKey(random, encode(random, fresh(random))));
      case MIXED_ARRAY -> mixedArray(number, random, type);
      case OVERSIZED -> poison(number, kind, type, JsonMutations.withLongString(random, fresh(random),
          maxBodyBytes + 1 + random.nextInt(64 * 1024)));
      case SCALAR -> scalar(number, random, type);
      case WRONG_CONTENT_TYPE -> poison(number, kind, OTHER_TYPES.get(random.nextInt(OTHER_TYPES.size())),
          encode(random, fresh(random)));
    };
  }

  /** A fresh, well-formed item: usually an envelope, sometimes a notification message or an edge sample. */
  JsonObject fresh(Random random) {
    boolean envelope = random.nextInt(10) < 8;
    String template = envelope ? envelopes.get(random.nextInt(envelopes.size())) : others.get(random.nextInt(others.size()));
    String conversation = uuid("conversation/" + random.nextInt(CONVERSATIONS));
    JsonObject json = new JsonObject(template.replace(Samples.VOICE_ID, conversation).replace(Samples.MULTI_ID, conversation));
    if (json.getValue("id") instanceof String) {
      json.put("id", new UUID(random.nextLong(), random.nextLong()).toString());
    }
    JsonObject detail = json.getValue("detail") instanceof JsonObject d ? d : json;
    if (detail.getValue("eventBody") instanceof JsonObject body && body.getValue("eventTime") instanceof Long time) {
      body.put("eventTime", time + random.nextInt(86_400_000));
    }
    return json;
  }

  private Poison repost(int number, Random random, String type) {
    for (int earlier = number - 1 - random.nextInt(50); earlier >= 0; earlier--) {
      if (pick(random(earlier)) == Kind.VALID) {
        return poison(number, Kind.REPOST, type, body(earlier).bytes());
      }
    }
    return poison(number, Kind.REPOST, type, encode(random, fresh(random)));
  }

  /** The kind is the first draw, so it can be known without building the body. */
  private Random random(int number) {
    return new Random(seed * 0x9E3779B97F4A7C15L + number);
  }

  private Poison deepNesting(int number, Random random, String type) {
    // Around both limits: ingest's 128 levels, and the parser's 1000, which every line wrapping a payload adds to.
    int depth = List.of(10, 124, 126, 200, 997, 1001, 20_000, 200_000).get(random.nextInt(8));
    if (random.nextBoolean()) {
      return poison(number, Kind.DEEP_NESTING, type, JsonMutations.nestedInside(random, fresh(random), depth));
    }
    boolean closed = random.nextInt(4) > 0;
    String open = random.nextBoolean() ? "[" : "{\"a\":";
    String close = open.equals("[") ? "]" : "}";
    StringBuilder text = new StringBuilder(open.repeat(depth)).append("1");
    if (closed) {
      text.append(close.repeat(depth));
    }
    return poison(number, Kind.DEEP_NESTING, type, Buffer.buffer(text.toString()));
  }

  /** Many tiny items: below and (mostly) above the per-body item limit, some past the byte limit too. */
  private Poison hugeArray(int number, Random random, String type) {
    String item = List.of("1", "{}", "null", "[]", "\"x\"", "{\"id\":1}").get(random.nextInt(6));
    // Few below the limit: each of their items is a dead letter, which is what the run spends its time on.
    int count = random.nextInt(20) < 3 ? 1_000 + random.nextInt(4_000) : 5_001 + random.nextInt(400_000);
    StringBuilder text = new StringBuilder(count * (item.length() + 1) + 2).append('[');
    for (int i = 0; i < count; i++) {
      text.append(i == 0 ? "" : ",").append(item);
    }
    return new Poison(number, Kind.HUGE_ARRAY, Buffer.buffer(text.append(']').toString()), type, count);
  }

  /** A body that is no envelope at all; each answers one item, except the arrays, which answer theirs. */
  private static Poison scalar(int number, Random random, String type) {
    String body = List.of("null", "true", "0", "-1.5e3", "\"event\"", "{}", "\"\"", "[]", "[[]]", "[{}]")
        .get(random.nextInt(10));
    int items = body.equals("[]") ? 0 : 1;
    return new Poison(number, Kind.SCALAR, Buffer.buffer(body), type, items);
  }

  /** Good items and bad ones side by side: each must get its own outcome. */
  private Poison mixedArray(int number, Random random, String type) {
    StringBuilder text = new StringBuilder("[");
    int count = 2 + random.nextInt(39);
    for (int i = 0; i < count; i++) {
      text.append(i == 0 ? "" : ",");
      int roll = random.nextInt(10);
      if (roll < 4) {
        text.append(fresh(random).encode());
      } else if (roll < 7) {
        Kind mutation = List.of(Kind.WRONG_TYPE, Kind.NULLS, Kind.NUMBER_FOR_STRING).get(random.nextInt(3));
        text.append(JsonMutations.mutate(random, mutation, fresh(random)).toString(StandardCharsets.UTF_8));
      } else {
        text.append(List.of("null", "1", "\"text\"", "[]", "[{}]", "{}", "true").get(random.nextInt(7)));
      }
    }
    return new Poison(number, Kind.MIXED_ARRAY, Buffer.buffer(text.append(']').toString()), type, count);
  }

  private static Buffer encode(Random random, JsonObject json) {
    return Buffer.buffer(random.nextBoolean() ? json.encode() : json.encodePrettily());
  }

  private static Poison poison(int number, Kind kind, String type, Buffer bytes) {
    return new Poison(number, kind, bytes, type, -1);
  }

  private static Kind pick(Random random) {
    int roll = random.nextInt(TOTAL_WEIGHT);
    for (Kind kind : Kind.values()) {
      roll -= kind.weight;
      if (roll < 0) {
        return kind;
      }
    }
    throw new AssertionError("weights do not add up");
  }

  private String uuid(String name) {
    return UUID.nameUUIDFromBytes((seed + "/" + name).getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static String text(String sample) {
    return Samples.bytes(sample).toString(StandardCharsets.UTF_8);
  }
}
