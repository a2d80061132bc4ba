package io.switchboard.ingest;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaException;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Named JSON Schemas (draft 2020-12): {@value #ENVELOPE}, {@value #NOTIFICATION} and one per detail event
 * type, named by its suffix ({@code acd.end}). Validation answers {@code null} or one line naming every
 * failing location, e.g. {@code /detail/eventBody/eventTime: expected integer, got string}.
 *
 * <p>Each schema gets two validators: a "flag" one that stops at the first failure, used for every event,
 * and a "basic" one that collects all failures, run only to explain a rejection. Validators are immutable
 * and safe to share between event loops. The library interprets the schema on every call, about a
 * microsecond or two per validated value, which makes validation the largest cost of normalising an event.
 */
public final class SchemaRegistry {

  /** The EventBridge envelope schema. */
  public static final String ENVELOPE = "envelope";
  /** The Notifications WebSocket message schema. */
  public static final String NOTIFICATION = "notification";
  /** Base URI that relative {@code $id}s and {@code $ref}s resolve against; never fetched. */
  public static final String BASE_URI = "https://switchboard.invalid/schemas/";
  /** Every schema the ingest needs: the two message shapes and one per known event type. */
  public static final List<String> DEFAULT_NAMES = defaultNames();

  private static final Pattern TYPE_ERROR = Pattern.compile("Instance type (\\S+) is invalid\\. Expected (.+)");
  private static final Pattern REQUIRED_ERROR = Pattern.compile("Instance does not have required property \"(.*)\"");

  private final Map<String, Validators> validators;

  /**
   * @param schemas schema name to schema document; documents are copied, because dereferencing annotates them
   * @throws IllegalArgumentException if a schema cannot be dereferenced (bad {@code $ref}, duplicate {@code $id})
   */
  public SchemaRegistry(Map<String, JsonObject> schemas) {
    Objects.requireNonNull(schemas, "schemas");
    JsonSchemaOptions flag = options(OutputFormat.Flag);
    JsonSchemaOptions basic = options(OutputFormat.Basic);
    SchemaRepository repository = SchemaRepository.create(basic);
    Map<String, JsonSchema> parsed = new LinkedHashMap<>();
    // Everything is dereferenced into one repository first, so schemas may $ref each other.
    schemas.forEach((name, json) -> {
      Objects.requireNonNull(json, () -> "schema " + name);
      JsonSchema schema = JsonSchema.of(json.copy());
      try {
        repository.dereference(fileName(name), schema);
      } catch (SchemaException | IllegalArgumentException e) {
        throw new IllegalArgumentException("schema [" + name + "] cannot be loaded: " + e.getMessage(), e);
      }
      parsed.put(name, schema);
    });
    Map<String, Validators> byName = new LinkedHashMap<>();
    parsed.forEach((name, schema) -> byName.put(name,
        new Validators(CompiledSchema.compile(schemas.get(name)), repository.validator(schema, flag),
            repository.validator(schema, basic))));
    this.validators = Collections.unmodifiableMap(byName);
  }

  /**
   * Reads and parses the named schemas.
   *
   * @param readFile given a file name such as {@code acd.end.schema.json} (see {@link #fileName}), returns its
   *                 text, or {@code null} if there is no such file; the caller decides where files live
   * @throws IllegalArgumentException naming the file that is missing or is not a JSON object
   */
  public static SchemaRegistry load(Function<String, String> readFile, Collection<String> names) {
    Objects.requireNonNull(readFile, "readFile");
    Objects.requireNonNull(names, "names");
    Map<String, JsonObject> schemas = new LinkedHashMap<>();
    for (String name : names) {
      String file = fileName(name);
      String text = readFile.apply(file);
      if (text == null) {
        throw new IllegalArgumentException("schema file " + file + " not found");
      }
      try {
        schemas.put(name, new JsonObject(text));
      } catch (DecodeException | ClassCastException e) {
        throw new IllegalArgumentException("schema file " + file + " is not a JSON object: " + e.getMessage(), e);
      }
    }
    return new SchemaRegistry(schemas);
  }

  /** {@code <name>.schema.json}. */
  public static String fileName(String name) {
    return name + ".schema.json";
  }

  public boolean contains(String name) {
    return validators.containsKey(name);
  }

  public Set<String> names() {
    return validators.keySet();
  }

  /** Validates {@code instance}; {@code null} when valid, else the failures as one line. */
  public String validate(String name, Object instance) {
    return validate(name, instance, "");
  }

  /**
   * Validates {@code instance}, reporting locations under {@code locationPrefix} (a JSON pointer such as
   * {@code /detail/eventBody}), for when the instance is a part of a larger document.
   *
   * @return {@code null} when valid, else e.g. {@code /detail/version: expected string, got number}
   * @throws IllegalArgumentException if no schema has that name
   */
  public String validate(String name, Object instance, String locationPrefix) {
    Validators v = validators.get(name);
    if (v == null) {
      throw new IllegalArgumentException("no schema named [" + name + "]");
    }
    // The compiled check proves the common case valid in about a microsecond; anything else is decided
    // (and explained) by vertx-json-schema.
    if (v.compiled != null && v.compiled.accepts(instance)) {
      return null;
    }
    if (Boolean.TRUE.equals(v.fast.validate(instance).getValid())) {
      return null;
    }
    return describe(v.detailed.validate(instance), locationPrefix);
  }

  /** Keeps only the most specific failures: "property x does not match" is implied by x's own failure. */
  static String describe(OutputUnit result, String locationPrefix) {
    List<OutputUnit> errors = result.getErrors();
    if (errors == null || errors.isEmpty()) {
      return location(locationPrefix, "#") + ": " + Objects.requireNonNullElse(result.getError(), "invalid");
    }
    Set<String> lines = new LinkedHashSet<>();
    for (OutputUnit error : errors) {
      if (!isExplainedByAnother(error, errors)) {
        lines.add(line(error, locationPrefix));
      }
    }
    return String.join("; ", lines);
  }

  private static boolean isExplainedByAnother(OutputUnit error, List<OutputUnit> errors) {
    String keyword = error.getKeywordLocation() + "/";
    String instance = String.valueOf(error.getInstanceLocation());
    for (OutputUnit other : errors) {
      if (other != error
          && String.valueOf(other.getKeywordLocation()).startsWith(keyword)
          && String.valueOf(other.getInstanceLocation()).startsWith(instance)) {
        return true;
      }
    }
    return false;
  }

  private static String line(OutputUnit error, String locationPrefix) {
    String where = location(locationPrefix, error.getInstanceLocation());
    String message = String.valueOf(error.getError());
    Matcher type = TYPE_ERROR.matcher(message);
    if (type.matches()) {
      // A type list comes as "integer, null"; "integer or null" cannot be misread as two errors.
      return where + ": expected " + type.group(2).replace(", ", " or ") + ", got " + type.group(1);
    }
    Matcher required = REQUIRED_ERROR.matcher(message);
    if (required.matches()) {
      return where + (where.endsWith("/") ? "" : "/") + required.group(1) + ": required property missing";
    }
    return where + ": " + message;
  }

  /** The library reports {@code #/a/b}; operators read {@code /a/b}, with the root shown as {@code /}. */
  private static String location(String prefix, String instanceLocation) {
    String pointer = instanceLocation == null ? "" : instanceLocation.startsWith("#")
        ? instanceLocation.substring(1) : instanceLocation;
    String full = prefix + pointer;
    return full.isEmpty() ? "/" : full;
  }

  private static JsonSchemaOptions options(OutputFormat format) {
    return new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri(BASE_URI).setOutputFormat(format);
  }

  private static List<String> defaultNames() {
    List<String> names = new ArrayList<>();
    names.add(ENVELOPE);
    names.add(NOTIFICATION);
    names.addAll(Topics.KNOWN_EVENT_TYPES);
    return List.copyOf(names);
  }

  /** @param compiled the direct check of a schema within the supported subset, else {@code null} */
  private record Validators(CompiledSchema compiled, Validator fast, Validator detailed) {
  }
}
