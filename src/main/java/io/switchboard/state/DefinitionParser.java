package io.switchboard.state;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Validates a lifecycle JSON object and builds the {@link LifecycleDefinition}. Every failure is an
 * {@link IllegalArgumentException} whose message starts with the JSON path at fault, e.g.
 * {@code lifecycle.transitions[3].to: unknown state 'qeued'}. Keys starting with {@code _} are comments.
 */
final class DefinitionParser {

  /** Bits available in a session's seen-types mask (the rest of the int holds flags and the role). */
  static final int MAX_EVENT_TYPES = 24;
  /** Declared plus out-of-band types are named by one byte in event summaries. */
  static final int MAX_OUT_OF_BAND = 200;
  /** States are kept as bits of a {@code long} in each transition. */
  static final int MAX_STATES = 64;
  static final String ANY = "*";

  private static final Set<String> TOP_KEYS = Set.of(
      "states", "initial", "terminal", "maxStages", "maxSessions", "events", "outOfBand", "outOfBandReleasedIn", "transitions");
  private static final Set<String> EVENT_KEYS = Set.of("opens", "closes", "requires", "wrapsUp");
  private static final Set<String> TRANSITION_KEYS = Set.of("on", "from", "to", "when", "hold");

  private final JsonObject json;
  private final String root;
  private final Map<String, Integer> stateIndex = new LinkedHashMap<>();

  private DefinitionParser(JsonObject json, String root) {
    this.json = json;
    this.root = root;
  }

  static LifecycleDefinition parse(JsonObject json, String root) {
    Objects.requireNonNull(root, "root");
    if (json == null || json.isEmpty()) {
      throw error(root, "missing or empty lifecycle definition");
    }
    return new DefinitionParser(json, root).parse();
  }

  private LifecycleDefinition parse() {
    checkKeys(json, root, TOP_KEYS);
    List<String> states = strings(json.getValue("states"), root + ".states", true);
    if (states.size() > MAX_STATES) {
      throw error(root + ".states", "at most " + MAX_STATES + " states");
    }
    for (int i = 0; i < states.size(); i++) {
      String name = states.get(i);
      if (name.isBlank() || ANY.equals(name) || stateIndex.putIfAbsent(name, i) != null) {
        throw error(root + ".states[" + i + "]", "blank, '*' or repeated state '" + name + "'");
      }
    }
    int initial = state(json.getValue("initial"), root + ".initial");
    List<String> terminalNames = strings(json.getValue("terminal"), root + ".terminal", true);
    boolean[] terminal = new boolean[states.size()];
    for (int i = 0; i < terminalNames.size(); i++) {
      int s = state(terminalNames.get(i), root + ".terminal[" + i + "]");
      if (s == initial) {
        throw error(root + ".terminal[" + i + "]", "the initial state cannot be terminal");
      }
      terminal[s] = true;
    }
    int maxStages = positiveInt("maxStages", null);
    int maxSessions = positiveInt("maxSessions", (int) Math.max(16, Math.min(Integer.MAX_VALUE, 4L * maxStages)));
    Set<String> outOfBand = new LinkedHashSet<>(json.getValue("outOfBand") == null ? List.of()
        : strings(json.getValue("outOfBand"), root + ".outOfBand", false));
    if (outOfBand.size() > MAX_OUT_OF_BAND) {
      throw error(root + ".outOfBand", "at most " + MAX_OUT_OF_BAND + " types");
    }
    boolean[] releasesOutOfBand = new boolean[states.size()];
    List<String> releaseNames = json.getValue("outOfBandReleasedIn") == null ? List.of()
        : strings(json.getValue("outOfBandReleasedIn"), root + ".outOfBandReleasedIn", false);
    for (int i = 0; i < releaseNames.size(); i++) {
      releasesOutOfBand[state(releaseNames.get(i), root + ".outOfBandReleasedIn[" + i + "]")] = true;
    }
    Map<String, Declared> declared = events(outOfBand);
    Map<String, List<TransitionRule>> byType = transitions(states.size(), terminal, outOfBand, declared);
    Map<String, EventRule> rules = new LinkedHashMap<>();
    for (Declared d : declared.values()) {
      boolean requiredByOthers = declared.values().stream().anyMatch(other -> other.requires == d.index);
      boolean recorded = d.opens != null || d.closes != null || d.wrapsUp || d.requires >= 0 || requiredByOthers;
      rules.put(d.type, new EventRule(d.type, d.index, d.opens, d.closes, d.requires, d.requiresType,
          d.wrapsUp, recorded, byType.getOrDefault(d.type, List.of())));
    }
    for (int s = 0; s < states.size(); s++) {
      if (terminal[s] && !isTarget(rules, s)) {
        throw error(root + ".terminal", "state '" + states.get(s) + "' is not the target of any transition");
      }
    }
    return new LifecycleDefinition(states, initial, terminal, maxStages, maxSessions, rules, outOfBand,
        releasesOutOfBand, json.copy(), root);
  }

  /** A declared event type's session rule before its transitions are attached. */
  private record Declared(String type, int index, Role opens, Role closes, int requires, String requiresType,
      boolean wrapsUp) {
  }

  private Map<String, Declared> events(Set<String> outOfBand) {
    String path = root + ".events";
    if (!(json.getValue("events") instanceof JsonObject)) {
      throw error(path, "must be an object of event type rules");
    }
    JsonObject events = json.getJsonObject("events");
    List<String> types = new ArrayList<>();
    for (String type : events.fieldNames()) {
      if (!type.startsWith("_")) {
        types.add(type);
      }
    }
    if (types.isEmpty() || types.size() > MAX_EVENT_TYPES) {
      throw error(path, "declare between 1 and " + MAX_EVENT_TYPES + " event types");
    }
    Map<String, Declared> declared = new LinkedHashMap<>();
    for (int i = 0; i < types.size(); i++) {
      String type = types.get(i);
      String at = path + "['" + type + "']";
      if (type.isBlank() || outOfBand.contains(type)) {
        throw error(at, "blank, or also listed in " + root + ".outOfBand");
      }
      if (!(events.getValue(type) instanceof JsonObject)) {
        throw error(at, "must be an object");
      }
      JsonObject rule = events.getJsonObject(type);
      checkKeys(rule, at, EVENT_KEYS);
      Role opens = role(rule.getValue("opens"), at + ".opens");
      Role closes = role(rule.getValue("closes"), at + ".closes");
      if (opens != null && closes != null) {
        throw error(at, "an event type either opens or closes a session, not both");
      }
      Object requiresRaw = rule.getValue("requires");
      int requires = requiresRaw instanceof String ? types.indexOf(requiresRaw) : -1;
      if (requiresRaw != null && (requires < 0 || requires == i)) {
        throw error(at + ".requires", "must name another declared event type, got '" + requiresRaw + "'");
      }
      Object wrapsUp = rule.getValue("wrapsUp", false);
      if (!(wrapsUp instanceof Boolean)) {
        throw error(at + ".wrapsUp", "must be true or false");
      }
      if ((Boolean) wrapsUp && requires < 0) {
        throw error(at + ".wrapsUp", "after-call work needs 'requires' naming the event that ends the agent session");
      }
      declared.put(type, new Declared(type, i, opens, closes, requires, requires < 0 ? null : types.get(requires),
          (Boolean) wrapsUp));
    }
    return declared;
  }

  /** Parses the transitions, grouped by event type in config order. */
  private Map<String, List<TransitionRule>> transitions(int stateCount, boolean[] terminal, Set<String> oob,
      Map<String, Declared> declared) {
    String path = root + ".transitions";
    Object raw = json.getValue("transitions");
    if (!(raw instanceof JsonArray) || ((JsonArray) raw).isEmpty()) {
      throw error(path, "must be a non-empty array");
    }
    JsonArray array = (JsonArray) raw;
    Map<String, List<TransitionRule>> byType = new HashMap<>();
    for (int i = 0; i < array.size(); i++) {
      String at = path + "[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject)) {
        throw error(at, "must be an object");
      }
      JsonObject entry = array.getJsonObject(i);
      checkKeys(entry, at, TRANSITION_KEYS);
      boolean single = entry.getValue("on") instanceof String;
      List<String> on = single ? List.of(entry.getString("on")) : strings(entry.getValue("on"), at + ".on", true);
      long from = from(entry.getValue("from"), at + ".from", stateCount, terminal);
      Object toRaw = entry.getValue("to");
      int to = ANY.equals(toRaw) ? TransitionRule.STAY : state(toRaw, at + ".to");
      Object holdRaw = entry.getValue("hold", false);
      if (!(holdRaw instanceof Boolean)) {
        throw error(at + ".hold", "must be true or false");
      }
      TransitionRule rule = new TransitionRule(i, from, to, guards(entry.getValue("when"), at + ".when"),
          (Boolean) holdRaw);
      for (int k = 0; k < on.size(); k++) {
        String type = on.get(k);
        String onPath = single ? at + ".on" : at + ".on[" + k + "]";
        if (oob.contains(type)) {
          throw error(onPath, "'" + type + "' is out-of-band and cannot drive a transition");
        }
        if (!declared.containsKey(type)) {
          throw error(onPath, "unknown event type '" + type + "' (declare it under " + root + ".events)");
        }
        byType.computeIfAbsent(type, t -> new ArrayList<>()).add(rule);
      }
    }
    return byType;
  }

  private static boolean isTarget(Map<String, EventRule> rules, int state) {
    for (EventRule rule : rules.values()) {
      for (TransitionRule t : rule.transitions()) {
        if (t.to() == state) {
          return true;
        }
      }
    }
    return false;
  }

  private long from(Object raw, String path, int stateCount, boolean[] terminal) {
    long mask = 0;
    if (ANY.equals(raw)) {
      for (int s = 0; s < stateCount; s++) {
        mask |= terminal[s] ? 0 : 1L << s;
      }
      return mask;
    }
    List<String> names = strings(raw, path, true);
    for (int i = 0; i < names.size(); i++) {
      int s = state(names.get(i), path + "[" + i + "]");
      if (terminal[s]) {
        throw error(path + "[" + i + "]", "terminal state '" + names.get(i) + "' cannot be left");
      }
      mask |= 1L << s;
    }
    return mask;
  }

  private static List<Guard> guards(Object raw, String path) {
    if (raw == null) {
      return List.of();
    }
    if (!(raw instanceof JsonObject)) {
      throw error(path, "must be an object of guards");
    }
    List<Guard> guards = new ArrayList<>();
    for (Map.Entry<String, Object> guard : (JsonObject) raw) {
      if (!guard.getKey().startsWith("_")) {
        guards.add(Guard.parse(guard.getKey(), guard.getValue(), path + "." + guard.getKey()));
      }
    }
    return guards;
  }

  private int state(Object raw, String path) {
    if (!(raw instanceof String)) {
      throw error(path, "must be a state name");
    }
    Integer index = stateIndex.get(raw);
    if (index == null) {
      throw error(path, "unknown state '" + raw + "'");
    }
    return index;
  }

  private static Role role(Object raw, String path) {
    if (raw == null) {
      return null;
    }
    Role role = raw instanceof String ? Role.byLabel((String) raw) : null;
    if (role == null) {
      throw error(path, "unknown role '" + raw + "' (known: " + Role.labels() + ")");
    }
    return role;
  }

  private int positiveInt(String key, Integer defaultValue) {
    Object raw = json.getValue(key);
    if (raw == null && defaultValue != null) {
      return defaultValue;
    }
    Integer value = asInt(raw);
    if (value == null || value < 1) {
      throw error(root + "." + key, "must be a positive integer, got " + raw);
    }
    return value;
  }

  private static List<String> strings(Object raw, String path, boolean nonEmpty) {
    if (!(raw instanceof JsonArray) || nonEmpty && ((JsonArray) raw).isEmpty()) {
      throw error(path, nonEmpty ? "must be a non-empty array of strings" : "must be an array of strings");
    }
    JsonArray array = (JsonArray) raw;
    List<String> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof String)) {
        throw error(path + "[" + i + "]", "must be a string");
      }
      out.add(array.getString(i));
    }
    return out;
  }

  private static void checkKeys(JsonObject object, String path, Set<String> allowed) {
    for (String key : object.fieldNames()) {
      if (!key.startsWith("_") && !allowed.contains(key)) {
        throw error(path + "." + key, "unknown key (comments start with '_')");
      }
    }
  }

  /** {@code raw} as an int if it is an integral number in range, else {@code null}. */
  static Integer asInt(Object raw) {
    if (!(raw instanceof Number)) {
      return null;
    }
    double d = ((Number) raw).doubleValue();
    return d == Math.rint(d) && d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE ? (int) d : null;
  }

  static IllegalArgumentException error(String path, String message) {
    return new IllegalArgumentException(path + ": " + message);
  }
}
