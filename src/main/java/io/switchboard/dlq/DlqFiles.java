package io.switchboard.dlq;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/** Which files in the DLQ directory are dead-letter files, and their order. */
final class DlqFiles {

  /**
   * Exactly the writer's {@code deadletters-<yyyyMMdd-HHmmss-SSS>.jsonl}: fixed width, so name order is creation
   * order. Being this strict also makes a name taken from a cursor safe to resolve inside the directory.
   */
  private static final Pattern NAME = Pattern.compile("deadletters-\\d{8}-\\d{6}-\\d{3}\\.jsonl");

  private DlqFiles() {
  }

  static boolean isDlqFile(String name) {
    return NAME.matcher(name).matches();
  }

  /** The DLQ file names in {@code dir}, oldest first; none if the directory does not exist yet. */
  static List<String> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (isDlqFile(name)) {
          names.add(name);
        }
      }
    }
    Collections.sort(names);
    return names;
  }
}
