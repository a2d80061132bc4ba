package io.switchboard.state;

import io.switchboard.message.PipelineEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * One condition of a transition's {@code when} object. The set is small, fixed and documented in
 * {@link LifecycleDefinition}; an unknown guard name fails validation so that a typo cannot silently turn
 * a transition off.
 */
sealed interface Guard permits Guard.Field, Guard.Flag, Guard.Count {

  /** eventBody fields a guard may name directly; any other body field is reachable as {@code body.<field>}. */
  Set<String> BODY_FIELDS = Set.of(
      "acdOutcome", "disconnectType", "exitReason", "transferType", "flowType", "direction", "messageType");

  Map<String, Predicate<Facts>> FLAGS = Map.of(
      "customerEnded", Facts::customerEnded,
      "awaitingAcw", Facts::awaitingAcw);

  Map<String, ToIntFunction<Facts>> COUNTS = Map.of(
      "agentsConnected", Facts::agentsConnected,
      "queuesWaiting", Facts::queuesWaiting,
      "flowsActive", Facts::flowsActive,
      "sessionsOpen", Facts::sessionsOpen);

  boolean test(PipelineEvent event, Facts facts);

  /** Parses the guard {@code name: value} found at {@code path}. */
  static Guard parse(String name, Object value, String path) {
    if (FLAGS.containsKey(name)) {
      if (!(value instanceof Boolean)) {
        throw DefinitionParser.error(path, "must be true or false");
      }
      return new Flag(name, FLAGS.get(name), (Boolean) value);
    }
    if (COUNTS.containsKey(name)) {
      Integer count = DefinitionParser.asInt(value);
      if (count == null || count < 0) {
        throw DefinitionParser.error(path, "must be a non-negative integer");
      }
      return new Count(name, COUNTS.get(name), count);
    }
    boolean inBody = BODY_FIELDS.contains(name) || name.startsWith("body.") && name.length() > 5;
    if (!inBody && !"mediaType".equals(name)) {
      throw DefinitionParser.error(path, "unknown guard '" + name + "' (known: " + String.join(", ",
          new TreeSet<>(known())) + ", body.<field>)");
    }
    return new Field(name.startsWith("body.") ? name.substring(5) : name, inBody, patterns(value, path));
  }

  private static Set<String> known() {
    Set<String> all = new HashSet<>(BODY_FIELDS);
    all.addAll(FLAGS.keySet());
    all.addAll(COUNTS.keySet());
    all.add("mediaType");
    return all;
  }

  private static List<String> patterns(Object value, String path) {
    List<String> out = new ArrayList<>();
    if (value instanceof String) {
      out.add((String) value);
    } else if (value instanceof JsonArray && !((JsonArray) value).isEmpty()) {
      JsonArray array = (JsonArray) value;
      for (int i = 0; i < array.size(); i++) {
        if (!(array.getValue(i) instanceof String)) {
          throw DefinitionParser.error(path + "[" + i + "]", "must be a string pattern");
        }
        out.add(array.getString(i));
      }
    } else {
      throw DefinitionParser.error(path, "must be a string pattern or a non-empty array of them");
    }
    for (String pattern : out) {
      if (pattern.isEmpty()) {
        throw DefinitionParser.error(path, "empty pattern");
      }
    }
    return List.copyOf(out);
  }

  /** {@code *} matches any run of characters; everything else matches itself, case-sensitively. */
  static boolean glob(String pattern, String value) {
    int p = 0;
    int v = 0;
    int star = -1;
    int mark = 0;
    while (v < value.length()) {
      if (p < pattern.length() && pattern.charAt(p) == value.charAt(v)) {
        p++;
        v++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        mark = v;
      } else if (star >= 0) {
        p = star + 1;
        v = ++mark;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  /** An event field matching any of the glob patterns; an absent field never matches. */
  record Field(String name, boolean inBody, List<String> patterns) implements Guard {

    public Field {
      Objects.requireNonNull(name, "name");
      patterns = List.copyOf(patterns);
    }

    @Override
    public boolean test(PipelineEvent event, Facts facts) {
      Object raw = inBody ? event.eventBody().getValue(name) : event.mediaType();
      if (raw == null || raw instanceof JsonObject || raw instanceof JsonArray) {
        return false;
      }
      String value = raw.toString();
      for (String pattern : patterns) {
        if (glob(pattern, value)) {
          return true;
        }
      }
      return false;
    }
  }

  /** A boolean fact of the session picture. */
  record Flag(String name, Predicate<Facts> fact, boolean expected) implements Guard {

    @Override
    public boolean test(PipelineEvent event, Facts facts) {
      return fact.test(facts) == expected;
    }
  }

  /** A count of the session picture, compared for equality (first-match order expresses "more than"). */
  record Count(String name, ToIntFunction<Facts> fact, int expected) implements Guard {

    @Override
    public boolean test(PipelineEvent event, Facts facts) {
      return fact.applyAsInt(facts) == expected;
    }
  }
}
