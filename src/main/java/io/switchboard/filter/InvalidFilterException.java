package io.switchboard.filter;

/**
 * A {@code filter} that cannot be compiled; {@link #path()} names the JSON path at fault. The filter package parses
 * its own piece of JSON and knows nothing of the server config: whoever reads the config turns this into its own
 * error type, with the same message.
 */
public final class InvalidFilterException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String path;
  private final String problem;

  public InvalidFilterException(String path, String problem) {
    super(path + ": " + problem);
    this.path = path;
    this.problem = problem;
  }

  public String path() {
    return path;
  }

  public String problem() {
    return problem;
  }
}
