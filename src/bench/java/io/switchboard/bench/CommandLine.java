package io.switchboard.bench;

import java.util.function.Function;

/** What every bench main does with its arguments: {@code --help} prints the usage, a bad option exits 2. */
final class CommandLine {

  private CommandLine() {
  }

  /**
   * The parsed options, or {@code null} when the user asked for {@code --help} (the usage is then printed). On an
   * {@link IllegalArgumentException} from {@code parse} it prints the reason and the usage and exits with 2.
   */
  static <T> T parseOrExit(String program, String usage, String[] args, Function<String[], T> parse) {
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.err.println(usage);
      return null;
    }
    try {
      return parse.apply(args);
    } catch (IllegalArgumentException e) {
      System.err.println(program + ": " + e.getMessage());
      System.err.println(usage);
      System.exit(2);
      return null;
    }
  }
}
