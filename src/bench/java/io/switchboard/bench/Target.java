package io.switchboard.bench;

import java.net.URI;

/** Where events are posted, split from the {@code --url} once rather than parsed per request. */
record Target(String host, int port, String path) {

  static Target of(String url) {
    URI uri = URI.create(url);
    if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("--url must be http://host[:port]/path, got " + url);
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return new Target(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort(), path);
  }
}
