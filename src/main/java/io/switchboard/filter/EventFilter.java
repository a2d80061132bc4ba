package io.switchboard.filter;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import software.amazon.event.ruler.GenericMachine;
import software.amazon.event.ruler.JsonRuleCompiler;
import software.amazon.event.ruler.MachineComplexityEvaluator;
import software.amazon.event.ruler.Patterns;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A target's event filter: EventBridge event patterns evaluated by AWS Event Ruler, the engine behind EventBridge
 * rules, so a pattern means here exactly what it means in an AWS rule. Patterns see the document
 * {@link FilterInput#compose} builds: the envelope ({@code source}, {@code detail-type}, {@code detail.eventBody.*},
 * ...) plus {@code conversation} (the state snapshot) and {@code switchboard} ({@code eventType}, {@code late}).
 *
 * <p>The target's {@code filter} config takes one of three shapes:
 * <ul>
 *   <li>absent or {@code {}}: every event matches, reported as {@value #ALL};</li>
 *   <li>one event pattern, e.g. {@code {"source": [{"prefix": "aws.partner/genesys.com"}]}}, reported as
 *       {@value #DEFAULT};</li>
 *   <li>{@code {"patterns": {"vip": {...}, "voice": {...}}}}: named patterns; an event matches if any does, and the
 *       first matching name in config order is reported. A top-level {@code patterns} key selects this shape.</li>
 * </ul>
 * Top-level keys starting with {@code _} are comments, as everywhere in the config. Every pattern is compiled at
 * construction, so an invalid one fails the start naming its JSON path.
 *
 * <p>Threading: Event Ruler documents {@code GenericMachine} as safe for concurrent matching (concurrent maps
 * inside, {@code addRule}/{@code deleteRule} synchronized), and this class never changes its machine after
 * construction (two threads sharing one gave identical results in a quick check). Filters are nevertheless
 * thread-confined by design: each dispatcher verticle instance builds its own from config, once at start (about
 * 1 ms per pattern, mostly Ruler building its automata), so matching never relies on a third-party concurrency
 * promise and never shares mutable state across event loops.
 *
 * <p>Cost, measured roughly on one core with the README example pattern: compose plus match of a 1.4 KB voice
 * envelope takes about 6 µs (some 180k events/s per event loop); a 335 KB envelope with 320 attributes about
 * 0.5 ms, as Ruler still has to tokenize every byte it skips.
 */
public final class EventFilter {

  /** The name reported when there is no filter. */
  public static final String ALL = "*";
  /** The name reported for a filter made of one unnamed pattern. */
  public static final String DEFAULT = "default";

  /**
   * Highest accepted wildcard complexity (Event Ruler's measure of how many wildcard prefixes one value can keep
   * alive at once). Ruler's own figures fall from ~140k events/s at 1 to ~3.5k at 34; matching runs on an event
   * loop, so a pattern set past this is refused at start. Realistic patterns ({@code *.example.com}) score 1–3.
   */
  static final int MAX_COMPLEXITY = 32;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  private static final EventFilter MATCH_ALL = new EventFilter(null, List.of(ALL));

  /** Rule names are indexes into {@link #names}, so the first match in config order is the smallest index. */
  private final GenericMachine<Integer> machine;
  private final List<String> names;
  /** One pre-built result per name: matching allocates no {@code Optional}. */
  private final List<Optional<String>> results;

  private EventFilter(GenericMachine<Integer> machine, List<String> names) {
    this.machine = machine;
    this.names = List.copyOf(names);
    this.results = this.names.stream().map(Optional::of).toList();
  }

  /** A filter that lets every event through. */
  public static EventFilter matchAll() {
    return MATCH_ALL;
  }

  /**
   * Builds and validates a filter.
   *
   * @param json the target's {@code filter} object, empty (or null) when the key is absent
   * @param path where {@code json} sits in the config ({@code targets[1].filter}), for error messages
   * @throws InvalidFilterException naming the path at fault, e.g. {@code targets[1].filter.patterns.vip: invalid
   *                                event pattern: Value of >= must be numeric}
   */
  public static EventFilter from(JsonObject json, String path) {
    List<NamedPattern> patterns = patterns(json, path);
    if (patterns.isEmpty()) {
      return MATCH_ALL;
    }
    GenericMachine<Integer> machine = newMachine();
    List<String> names = new ArrayList<>();
    for (NamedPattern pattern : patterns) {
      add(machine, names.size(), pattern.pattern(), pattern.path(), true);
      names.add(pattern.name());
    }
    return new EventFilter(machine, names);
  }

  /**
   * The filter's patterns by reported name, in config order; empty when it matches everything. Checks the shape
   * of the config as {@link #from} does (the patterns themselves are compiled by {@link #add}).
   */
  static List<NamedPattern> patterns(JsonObject json, String path) {
    Objects.requireNonNull(path, "path");
    JsonObject filter = withoutComments(json == null ? new JsonObject() : json);
    List<NamedPattern> patterns = new ArrayList<>();
    if (filter.isEmpty()) {
      return patterns;
    }
    if (!filter.containsKey("patterns")) {
      patterns.add(new NamedPattern(DEFAULT, filter, path));
      return patterns;
    }
    for (String key : filter.fieldNames()) {
      if (!key.equals("patterns")) {
        throw new InvalidFilterException(path + "." + key, "unknown key (known: patterns)");
      }
    }
    String patternsPath = path + ".patterns";
    Object declared = filter.getValue("patterns");
    JsonObject named = declared == null ? new JsonObject() : object(declared, patternsPath);
    for (String name : named.fieldNames()) {
      if (name.startsWith("_")) {
        continue;
      }
      String patternPath = patternsPath + "." + name;
      if (!NAME.matcher(name).matches()) {
        throw new InvalidFilterException(patternPath, "pattern name must match " + NAME.pattern()
            + " (it is reported in metrics and logs)");
      }
      patterns.add(new NamedPattern(name, withoutComments(object(named.getValue(name), patternPath)), patternPath));
    }
    if (patterns.isEmpty()) {
      throw new InvalidFilterException(patternsPath,
          "must name at least one pattern (omit the filter to match everything)");
    }
    return patterns;
  }

  /** One pattern of a filter: the name it is reported by, the pattern, and where it sits in the config. */
  record NamedPattern(String name, JsonObject pattern, String path) {
  }

  static GenericMachine<Integer> newMachine() {
    return GenericMachine.<Integer>builder()
        // Ruler's default since 2.0, stated because we rely on it: matching stays linear in array length
        // (communications[], snapshot participant lists) where the older finder could go quadratic.
        .withStructuredMatching(true)
        .build();
  }

  /**
   * The name of the first pattern, in config order, that the event matches; {@value #ALL} when there is no
   * filter (the event is then not even parsed), {@value #DEFAULT} for a single unnamed pattern.
   *
   * @param eventJson the document from {@link FilterInput#compose}
   * @throws IllegalArgumentException if the text is not JSON: a malformed event is a fault to dead-letter with
   *                                  its reason, not an event that silently failed to match
   */
  public Optional<String> match(String eventJson) {
    Objects.requireNonNull(eventJson, "eventJson");
    if (machine == null) {
      return results.get(0);
    }
    List<Integer> matched;
    try {
      // rulesForJSONEvent(String) is the one matcher that is array-consistent, as EventBridge is: it never pairs
      // fields from different elements of one array. rulesForEvent (a JSON string or pre-sorted flattened fields)
      // loses the array structure and would match {"a":[{"x":1,"y":2},{"x":3,"y":4}]} against x=1 AND y=4.
      // $or, exists, numeric etc. are compiled into the machine by JsonRuleCompiler, so every matcher sees them;
      // arrays are the difference. It is also the fastest: its streaming parse skips subtrees no pattern names,
      // where rulesForJSONEvent(JsonNode) needs a full tree first.
      matched = machine.rulesForJSONEvent(eventJson);
    } catch (Exception e) {
      throw new IllegalArgumentException("event is not valid JSON: " + reason(e), e);
    }
    if (matched.isEmpty()) {
      return Optional.empty();
    }
    int first = Integer.MAX_VALUE;
    for (Integer index : matched) {
      first = Math.min(first, index);
    }
    return results.get(first);
  }

  /**
   * As {@link #match(String)}, building the document only when there are patterns to match it against: without a
   * filter every event matches, and composing the document (the envelope and the snapshot spliced into one
   * string) would be work for nothing on every event.
   */
  public Optional<String> match(Supplier<String> document) {
    return machine == null ? results.get(0) : match(document.get());
  }

  /**
   * Whether any pattern of a target's {@code filter} config names {@code key} as a field, at any depth and inside
   * {@code $or}: for example whether a filter reads the {@code conversation} snapshot. A value equal to
   * {@code key} does not count; a nested field of that name does (a cheap over-approximation, never an under-).
   */
  public static boolean mentions(JsonObject filter, String key) {
    return mentions((Object) filter, key);
  }

  private static boolean mentions(Object node, String key) {
    if (node instanceof JsonObject object) {
      for (String field : object.fieldNames()) {
        if (field.equals(key) || mentions(object.getValue(field), key)) {
          return true;
        }
      }
    } else if (node instanceof JsonArray array) {
      for (Object element : array) {
        if (mentions(element, key)) {
          return true;
        }
      }
    }
    return false;
  }

  /** As {@link #match(String)}, for an event already held as a JSON object (encoded once to match). */
  public Optional<String> match(JsonObject event) {
    Objects.requireNonNull(event, "event");
    return machine == null ? results.get(0) : match(event.encode());
  }

  /** The names this filter can report, in config order. */
  public List<String> names() {
    return names;
  }

  /**
   * Compiles one pattern into {@code machine} as rule {@code index}.
   *
   * @param checkComplexity refuse the machine past {@link #MAX_COMPLEXITY}; off only for {@link TargetFilters}'s
   *                        machine, whose filters each passed the check on their own at start
   */
  static void add(GenericMachine<Integer> machine, int index, JsonObject pattern, String path,
                  boolean checkComplexity) {
    if (pattern.isEmpty()) {
      throw new InvalidFilterException(path, "event pattern is empty (omit the filter to match everything)");
    }
    try {
      // JsonRuleCompiler is the compiler that understands $or (Machine.addRule(String) falls back to the legacy
      // RuleCompiler on a parse error, whose message would then be the one reported).
      for (Map<String, List<Patterns>> rule : JsonRuleCompiler.compile(pattern.encode())) {
        machine.addPatternRule(index, rule);
      }
    } catch (Exception e) {
      throw new InvalidFilterException(path, "invalid event pattern: " + reason(e));
    }
    if (!checkComplexity) {
      return;
    }
    int complexity = machine.evaluateComplexity(new MachineComplexityEvaluator(MAX_COMPLEXITY + 1));
    if (complexity > MAX_COMPLEXITY) {
      throw new InvalidFilterException(path, "wildcard patterns too complex to match on an event loop (Event Ruler "
          + "complexity over " + MAX_COMPLEXITY + "): avoid common prefixes before the first '*' and repeated '*'");
    }
  }

  /** Ruler's own words, without Jackson's location suffix, which points into our re-encoded copy. */
  static String reason(Exception e) {
    return e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : String.valueOf(e.getMessage());
  }

  private static JsonObject object(Object value, String path) {
    if (value instanceof JsonObject object) {
      return object;
    }
    String got = value instanceof String text ? "'" + text + "'" : value instanceof JsonArray ? "an array"
        : String.valueOf(value);
    throw new InvalidFilterException(path, "must be an object, got " + got);
  }

  private static JsonObject withoutComments(JsonObject json) {
    JsonObject copy = new JsonObject();
    json.forEach(entry -> {
      if (!entry.getKey().startsWith("_")) {
        copy.put(entry.getKey(), entry.getValue());
      }
    });
    return copy;
  }
}
