package io.switchboard.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The {@code endpoint} key of the AWS target types: an optional endpoint override (an emulator, a VPC
 * endpoint), which must be a bare {@code scheme://host[:port][/path]} so that no credentials hide in it.
 */
public final class EndpointOverride {

  private EndpointOverride() {
  }

  /** The parsed override, or {@code null} when the key is absent. */
  public static URI from(ConfigNode node, String key) {
    String text = node.string(key, null);
    if (text == null) {
      return null;
    }
    String path = node.path(key);
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new ConfigException(path, "must be an absolute http or https URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new ConfigException(path, "must be an absolute http or https URL, got '" + text + "'");
    }
    if (uri.getHost() == null) {
      throw new ConfigException(path, "must name a valid host, got '" + text + "'");
    }
    if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new ConfigException(path, "must be scheme://host[:port][/path] only (no credentials, query or fragment)");
    }
    return uri;
  }
}
