package io.switchboard.it;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * Poison that is still JSON: one value somewhere in a parsed sample replaced by a value of the wrong type, a null,
 * a number (some only writable as raw text: {@code 1e400}, a 30-digit integer), a very long string, or a deep nest.
 */
final class JsonMutations {

  /** Numbers Jackson reads as Infinity, BigInteger, BigDecimal, -0.0 ...: placed as raw text. */
  private static final List<String> RAW_NUMBERS = List.of("0", "-1", "1.5", "-0.0", "1e400", "-1e400", "1E-400",
      "123456789012345678901234567890", "9223372036854775808", "-9223372036854775809", "1741701749022.0",
      "0.1e1", "1e18");
  private static final String MARKER = "~~raw~~";

  private JsonMutations() {
  }

  /** One value of {@code json} replaced as {@code kind} says. */
  static Buffer mutate(Random random, PoisonBodies.Kind kind, JsonObject json) {
    String raw = null;
    UnaryOperator<Object> change;
    switch (kind) {
      case WRONG_TYPE -> change = old -> wrongType(random, old);
      case NULLS -> change = old -> null;
      case NUMBER_FOR_STRING -> {
        raw = RAW_NUMBERS.get(random.nextInt(RAW_NUMBERS.size()));
        change = old -> MARKER;
      }
      case LONG_STRING -> change = old -> longString(random, 1_000 + random.nextInt(random.nextBoolean() ? 20_000 : 600_000));
      default -> throw new IllegalArgumentException("not a tree mutation: " + kind);
    }
    replaceOne(random, json, change, kind == PoisonBodies.Kind.NUMBER_FOR_STRING || kind == PoisonBodies.Kind.LONG_STRING);
    String text = json.encode();
    return Buffer.buffer(raw == null ? text : text.replace('"' + MARKER + '"', raw));
  }

  /** A long string in one of the strings of {@code json}, so that the body is about {@code bytes} long. */
  static Buffer withLongString(Random random, JsonObject json, int bytes) {
    int room = Math.max(1, bytes - json.encode().length());
    replaceOne(random, json, old -> "x".repeat(room), true);
    return json.toBuffer();
  }

  /** A nest of {@code depth} arrays in place of one value. */
  static Buffer nestedInside(Random random, JsonObject json, int depth) {
    replaceOne(random, json, old -> MARKER, false);
    String nest = "[".repeat(depth) + "\"deep\"" + "]".repeat(depth);
    return Buffer.buffer(json.encode().replace('"' + MARKER + '"', nest));
  }

  private static Object wrongType(Random random, Object old) {
    List<Object> choices = new ArrayList<>(List.of("a string", 42, 3.25, true, new JsonObject().put("k", "v"),
        new JsonArray().add(1).add("two"), new JsonObject(), new JsonArray()));
    choices.removeIf(c -> old != null && sameType(c, old));
    return choices.get(random.nextInt(choices.size()));
  }

  private static boolean sameType(Object a, Object b) {
    return a instanceof Number && b instanceof Number || a.getClass() == b.getClass();
  }

  /** Random characters, with escapes, controls, and non-BMP ones among plain ASCII. */
  private static String longString(Random random, int length) {
    StringBuilder s = new StringBuilder(length);
    while (s.length() < length) {
      int roll = random.nextInt(100);
      if (roll < 90) {
        s.append((char) ('a' + random.nextInt(26)));
      } else if (roll < 94) {
        s.append("\"\\/\n\t".charAt(random.nextInt(5)));
      } else if (roll < 97) {
        s.append((char) random.nextInt(0x20));
      } else {
        s.appendCodePoint(List.of(0xE9, 0x4E2D, 0x1F600, 0xFEFF).get(random.nextInt(4)));
      }
    }
    return s.toString();
  }

  /** Replaces one value found by a random walk; strings only if asked, to hit fields where strings belong. */
  private static void replaceOne(Random random, JsonObject root, UnaryOperator<Object> change, boolean stringsOnly) {
    List<Slot> slots = new ArrayList<>();
    collect(root, slots);
    List<Slot> eligible = stringsOnly ? slots.stream().filter(s -> s.get() instanceof String).toList() : slots;
    if (eligible.isEmpty()) {
      eligible = slots;
    }
    if (!eligible.isEmpty()) {
      Slot slot = eligible.get(random.nextInt(eligible.size()));
      slot.set(change.apply(slot.get()));
    }
  }

  private static void collect(Object node, List<Slot> slots) {
    if (node instanceof JsonObject object) {
      for (String key : object.fieldNames()) {
        slots.add(new Slot(object, key, -1));
        collect(object.getValue(key), slots);
      }
    } else if (node instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        slots.add(new Slot(array, null, i));
        collect(array.getValue(i), slots);
      }
    }
  }

  /** A place that holds a value: a key of an object or an index of an array. */
  private record Slot(Object container, String key, int index) {
    Object get() {
      return container instanceof JsonObject o ? o.getValue(key) : ((JsonArray) container).getValue(index);
    }

    void set(Object value) {
      if (container instanceof JsonObject o) {
        o.put(key, value);
      } else {
        ((JsonArray) container).set(index, value);
      }
    }
  }
}
