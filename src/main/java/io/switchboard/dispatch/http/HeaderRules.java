package io.switchboard.dispatch.http;

import io.switchboard.config.ConfigException;
import io.switchboard.config.ConfigNode;
import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads and checks the static {@code headers} of an http target. Everything a header could get wrong is caught
 * here, at start, because at send time Netty would reject it on every single delivery.
 *
 * <p>Values may be secrets: no error message quotes one.
 */
final class HeaderRules {

  /** RFC 9110 §5.6.2 token: what a field name may be. */
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  /** Headers the channel (or HTTP/1.1 framing) writes itself; a static copy would be ambiguous. */
  private static final Set<String> SET_BY_CHANNEL = Set.of("content-type", "content-length", "transfer-encoding",
      "host", "connection", "x-switchboard-attempt", "x-switchboard-conversation-id", "x-switchboard-event-type");

  private HeaderRules() {
  }

  static boolean isToken(String name) {
    return TOKEN.matcher(name).matches();
  }

  static boolean isSetByChannel(String name) {
    return SET_BY_CHANNEL.contains(name.toLowerCase(Locale.ROOT));
  }

  /**
   * True unless every character is printable ASCII, space or tab. RFC 9110 §5.5 forbids the controls (CR and
   * LF above all); it tolerates bytes above 0x7f, but Netty's encoder does not keep them intact, and a value
   * rejected at send time would show up in an error message, so they are refused here too.
   */
  static boolean isUnsafeValue(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c >= 0x7f) {
        return true;
      }
    }
    return false;
  }

  /**
   * Reads {@code {"Name": "value" | {"env": "VAR"}, ...}} into name → resolved value, in config order.
   *
   * @param idempotencyHeader also reserved: the channel fills it per delivery
   */
  static Map<String, String> staticHeaders(ConfigNode headers, String idempotencyHeader, Function<String, String> env) {
    Map<String, String> seen = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    Map<String, String> out = new LinkedHashMap<>();
    JsonObject json = headers.json();
    for (String name : json.fieldNames()) {
      String path = headers.path(name);
      if (!isToken(name)) {
        throw new ConfigException(path, "is not a valid header name (letters, digits, '-', ...)");
      }
      if (isSetByChannel(name) || name.equalsIgnoreCase(idempotencyHeader)) {
        throw new ConfigException(path, "is set by the channel itself; remove it"
            + (name.equalsIgnoreCase("content-type") ? " and use contentType" : ""));
      }
      String previous = seen.put(name, name);
      if (previous != null) {
        throw new ConfigException(path, "repeats header " + previous + " (header names ignore case)");
      }
      out.put(name, value(headers, name, env));
    }
    return Collections.unmodifiableMap(out);
  }

  private static String value(ConfigNode headers, String name, Function<String, String> env) {
    Object raw = headers.json().getValue(name);
    String path = headers.path(name);
    if (raw instanceof String literal) {
      if (isUnsafeValue(literal)) {
        throw new ConfigException(path, "must be printable ASCII (no CR, LF or other control characters)");
      }
      return literal;
    }
    if (!(raw instanceof JsonObject)) {
      throw new ConfigException(path, "must be a string or {\"env\": \"VARIABLE\"}");
    }
    ConfigNode ref = headers.object(name).allowOnly(Set.of("env"));
    String variable = ref.requiredString("env");
    String value = env.apply(variable);
    if (value == null || value.isEmpty()) {
      throw new ConfigException(path, "environment variable " + variable + " is not set or empty");
    }
    if (isUnsafeValue(value)) {
      throw new ConfigException(path, "environment variable " + variable + " is not printable ASCII (a trailing newline?)");
    }
    return value;
  }
}
