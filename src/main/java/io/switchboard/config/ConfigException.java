package io.switchboard.config;

/** A configuration error; the message starts with the JSON path of the key at fault. */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ConfigException(String path, String problem) {
    super(path + ": " + problem);
  }
}
