package io.switchboard.it;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import java.util.regex.Pattern;

/**
 * A small, faithful emulator of EventBridge's PutEvents on the AWS JSON 1.1 protocol, for tests (there is no local
 * EventBridge to install): a Vert.x HTTP server on a loopback port 0 that the SDK reaches through
 * {@code endpointOverride}.
 *
 * <p>What it checks, as the API reference describes PutEvents: {@code POST /} with
 * {@code X-Amz-Target: AWSEvents.PutEvents} and {@code Content-Type: application/x-amz-json-1.1}, a SigV4
 * {@code Authorization} header (present and well-formed; the signature itself is not verified), 1 to 10 entries,
 * {@code EventBusName} matching the documented pattern, and the total entry size within the limit, counted as
 * "Calculating PutEvents event entry size" says (UTF-8 bytes of Source, DetailType, Detail and each Resources
 * string, plus 14 for Time). Those failures refuse the whole request with HTTP 400 and an AWS error body
 * ({@code {"__type": ..., "message": ...}}). Per entry: Source, DetailType and Detail are required
 * ({@code InvalidArgument}; a request where no entry has all three fails as a whole), DetailType at most 128
 * characters, Detail a JSON object ({@code MalformedDetail}), Source not under {@code aws.}
 * ({@code NotAuthorizedForSourceException}). The answer is {@code {"FailedEntryCount", "Entries"}} in request order,
 * each entry {@code {"EventId"}} or {@code {"ErrorCode", "ErrorMessage"}}.
 *
 * <p>Failure injection: {@link #failRequests} answers chosen requests as a whole (throttling, internal error),
 * {@link #failEntries} fails chosen entries, {@link #latency} delays every answer.
 */
public final class EventBridgeEmulator {

  public static final String TARGET = "AWSEvents.PutEvents";
  public static final String CONTENT_TYPE = "application/x-amz-json-1.1";
  public static final int DEFAULT_MAX_BYTES = 262_144;

  private static final Pattern EVENT_BUS = Pattern.compile(
      "(arn:aws[\\w-]*:events:[a-z]+-[a-z]+-[\\w-]+:[0-9]{12}:event-bus/)?[/.\\-_A-Za-z0-9]+");
  private static final Pattern SIGV4 = Pattern.compile(
      "AWS4-HMAC-SHA256 Credential=[^/]+/\\d{8}/[a-z0-9-]+/events/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}");
  private static final Map<String, String> MESSAGES = Map.of(
      "ThrottlingException", "Rate exceeded",
      "InternalFailure", "An internal failure occurred",
      "InternalException", "Internal service error");

  /** A whole-request answer other than success. */
  public record Fault(int status, String type, String message) {
    public static Fault throttling() {
      return new Fault(400, "ThrottlingException", "Rate exceeded");
    }

    public static Fault internal() {
      return new Fault(500, "InternalException", "Internal service error");
    }
  }

  /** One PutEvents request as received, whatever the answer. */
  public record Request(int number, long at, MultiMap headers, JsonObject body, int status, JsonObject answer) {
    public List<JsonObject> entries() {
      JsonArray entries = body == null ? null : body.getJsonArray("Entries");
      List<JsonObject> out = new ArrayList<>();
      if (entries != null) {
        entries.forEach(e -> out.add((JsonObject) e));
      }
      return out;
    }
  }

  /** An event put on a bus, in acceptance order. */
  public record PutEvent(String eventId, int request, JsonObject entry) {
    public JsonObject detail() {
      return new JsonObject(entry.getString("Detail"));
    }

    /** The conversation the detail is about: a Genesys detail, or the enriched wrapper around an envelope. */
    public String conversationId() {
      JsonObject detail = detail();
      JsonObject genesys = detail.containsKey("event") ? detail.getJsonObject("event").getJsonObject("detail") : detail;
      return genesys.getJsonObject("eventBody").getString("conversationId");
    }

    public long eventTime() {
      JsonObject detail = detail();
      JsonObject genesys = detail.containsKey("event") ? detail.getJsonObject("event").getJsonObject("detail") : detail;
      return genesys.getJsonObject("eventBody").getLong("eventTime");
    }
  }

  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<PutEvent> events = new CopyOnWriteArrayList<>();
  private final AtomicInteger count = new AtomicInteger();
  private volatile int maxBytes = DEFAULT_MAX_BYTES;
  private volatile IntFunction<Fault> requestFaults = n -> null;
  private volatile BiFunction<Integer, JsonObject, String> entryFaults = (n, entry) -> null;
  private volatile long latencyMs;
  private Vertx vertx;
  private HttpServer server;

  public static Future<EventBridgeEmulator> start(Vertx vertx) {
    EventBridgeEmulator emulator = new EventBridgeEmulator();
    emulator.vertx = vertx;
    return vertx.createHttpServer().requestHandler(emulator::handle).listen(0, "127.0.0.1").map(s -> {
      emulator.server = s;
      return emulator;
    });
  }

  /** The size limit of one request's entries (default 256 KB, PutEvents' long-standing limit). */
  public EventBridgeEmulator maxBytes(int bytes) {
    this.maxBytes = bytes;
    return this;
  }

  /** Request number (1-based) → a fault to answer it with, or {@code null} to process it. */
  public EventBridgeEmulator failRequests(IntFunction<Fault> faults) {
    this.requestFaults = faults;
    return this;
  }

  /** (request number, entry) → an error code to fail that entry with, or {@code null} to process it. */
  public EventBridgeEmulator failEntries(BiFunction<Integer, JsonObject, String> faults) {
    this.entryFaults = faults;
    return this;
  }

  public EventBridgeEmulator latency(long millis) {
    this.latencyMs = millis;
    return this;
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public List<PutEvent> events() {
    return List.copyOf(events);
  }

  /** Accepted events of one conversation, in the order they were put. */
  public List<PutEvent> eventsOf(String conversationId) {
    return events.stream().filter(e -> conversationId.equals(e.conversationId())).toList();
  }

  public Future<Void> close() {
    return server.close();
  }

  /** The size of an entry as "Calculating PutEvents event entry size" counts it. */
  public static int entrySize(JsonObject entry) {
    int size = entry.getValue("Time") != null ? 14 : 0;
    size += utf8(entry.getValue("Source")) + utf8(entry.getValue("DetailType")) + utf8(entry.getValue("Detail"));
    JsonArray resources = entry.getValue("Resources") instanceof JsonArray a ? a : new JsonArray();
    for (Object resource : resources) {
      size += utf8(resource);
    }
    return size;
  }

  private static int utf8(Object value) {
    return value instanceof String s ? s.getBytes(StandardCharsets.UTF_8).length : 0;
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      int number = count.incrementAndGet();
      long at = System.currentTimeMillis();
      MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
      JsonObject json = null;
      int status;
      JsonObject answer;
      try {
        json = body.toJsonObject();
      } catch (DecodeException | ClassCastException e) {
        json = null;
      }
      Fault fault = check(request, json);
      if (fault == null) {
        fault = requestFaults.apply(number);
      }
      if (fault != null) {
        status = fault.status();
        answer = new JsonObject().put("__type", fault.type()).put("message", fault.message());
      } else {
        status = 200;
        answer = put(number, json.getJsonArray("Entries"));
      }
      requests.add(new Request(number, at, headers, json, status, answer));
      int finalStatus = status;
      Runnable reply = () -> request.response().setStatusCode(finalStatus)
          .putHeader("Content-Type", CONTENT_TYPE)
          .putHeader("x-amzn-RequestId", UUID.randomUUID().toString())
          .end(answer.toBuffer());
      if (latencyMs > 0) {
        vertx.setTimer(latencyMs, id -> reply.run());
      } else {
        reply.run();
      }
    });
  }

  /** Whole-request checks, in the order the service applies them: operation, authentication, input. */
  private Fault check(HttpServerRequest request, JsonObject json) {
    if (request.method() != HttpMethod.POST || !"/".equals(request.path())
        || !TARGET.equals(request.getHeader("X-Amz-Target"))) {
      return new Fault(400, "UnknownOperationException", null);
    }
    String contentType = request.getHeader("Content-Type");
    if (contentType == null || !contentType.startsWith(CONTENT_TYPE)) {
      return new Fault(400, "SerializationException", "expected Content-Type " + CONTENT_TYPE);
    }
    String authorization = request.getHeader("Authorization");
    if (authorization == null || request.getHeader("X-Amz-Date") == null) {
      return new Fault(400, "MissingAuthenticationTokenException", "Missing Authentication Token");
    }
    if (!SIGV4.matcher(authorization).matches()) {
      return new Fault(400, "IncompleteSignatureException", "Authorization header is not a SigV4 signature for events");
    }
    if (json == null) {
      return new Fault(400, "SerializationException", "Start of structure or map found where not expected.");
    }
    JsonArray entries = json.getValue("Entries") instanceof JsonArray a ? a : null;
    if (entries == null || entries.isEmpty() || entries.size() > 10) {
      return validation("1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have "
          + "length " + (entries == null || entries.isEmpty() ? "greater than or equal to 1" : "less than or equal to 10"));
    }
    long total = 0;
    boolean anyComplete = false;
    for (int i = 0; i < entries.size(); i++) {
      if (!(entries.getValue(i) instanceof JsonObject entry)) {
        return new Fault(400, "SerializationException", "Entries[" + i + "] is not a structure");
      }
      Object bus = entry.getValue("EventBusName");
      if (bus != null && !(bus instanceof String s && s.length() <= 256 && EVENT_BUS.matcher(s).matches())) {
        return validation("1 validation error detected: Value '" + bus + "' at 'entries." + (i + 1)
            + ".member.eventBusName' failed to satisfy constraint: Member must satisfy regular expression pattern");
      }
      if (entry.getValue("Time") != null && !(entry.getValue("Time") instanceof Number)) {
        return new Fault(400, "SerializationException", "Time must be a number of epoch seconds");
      }
      total += entrySize(entry);
      anyComplete |= complete(entry);
    }
    if (total > maxBytes) {
      return validation("Total size of the entries in the request is over the limit.");
    }
    if (!anyComplete) {
      return validation("Parameters Source, DetailType and Detail are required.");
    }
    return null;
  }

  private static Fault validation(String message) {
    return new Fault(400, "ValidationException", message);
  }

  private static boolean complete(JsonObject entry) {
    return nonEmpty(entry.getValue("Source")) && nonEmpty(entry.getValue("DetailType"))
        && nonEmpty(entry.getValue("Detail"));
  }

  private static boolean nonEmpty(Object value) {
    return value instanceof String s && !s.isEmpty();
  }

  private JsonObject put(int number, JsonArray entries) {
    JsonArray results = new JsonArray();
    int failed = 0;
    for (int i = 0; i < entries.size(); i++) {
      JsonObject entry = entries.getJsonObject(i);
      String code = entryError(entry);
      String message = code == null ? null : entryMessage(code, entry);
      if (code == null) {
        code = entryFaults.apply(number, entry);
        message = code == null ? null : MESSAGES.getOrDefault(code, code);
      }
      if (code != null) {
        failed++;
        results.add(new JsonObject().put("ErrorCode", code).put("ErrorMessage", message));
      } else {
        String id = UUID.randomUUID().toString();
        events.add(new PutEvent(id, number, entry));
        results.add(new JsonObject().put("EventId", id));
      }
    }
    return new JsonObject().put("FailedEntryCount", failed).put("Entries", results);
  }

  private static String entryError(JsonObject entry) {
    if (!complete(entry)) {
      return "InvalidArgument";
    }
    if (entry.getString("DetailType").length() > 128) {
      return "InvalidArgument";
    }
    if (entry.getString("Source").startsWith("aws.")) {
      return "NotAuthorizedForSourceException";
    }
    try {
      new JsonObject(entry.getString("Detail"));
      return null;
    } catch (DecodeException | ClassCastException e) {
      return "MalformedDetail";
    }
  }

  private static String entryMessage(String code, JsonObject entry) {
    return switch (code) {
      case "InvalidArgument" -> complete(entry) ? "Parameter DetailType is not valid. Reason: longer than 128 characters."
          : "Parameters Source, DetailType and Detail are required.";
      case "NotAuthorizedForSourceException" -> "Not authorized for the source.";
      default -> "Detail is malformed.";
    };
  }
}
