package io.switchboard.park;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Helpers for looking at and damaging a park directory in tests. */
final class ParkFiles {

  private ParkFiles() {
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** "offset:text" for each record, for readable assertions; NUL padding is left out. */
  static List<String> show(List<Parked> records) {
    List<String> shown = new ArrayList<>();
    for (Parked record : records) {
      shown.add(record.offset() + ":" + new String(record.payload(), StandardCharsets.UTF_8).replace("\0", ""));
    }
    return shown;
  }

  static Path segment(Path dir, long firstOffset) {
    return dir.resolve(Segment.fileName(firstOffset));
  }

  /** Names of the segment files, sorted. */
  static List<String> segmentNames(Path dir) throws IOException {
    return names(dir, name -> name.matches("park-\\d{20}\\.log"));
  }

  static List<String> corruptNames(Path dir) throws IOException {
    return names(dir, name -> name.endsWith(".corrupt"));
  }

  /** Every file with its contents, to prove that something wrote nothing. */
  static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path file : (Iterable<Path>) list::iterator) {
        files.put(file.getFileName().toString(), Base64.getEncoder().encodeToString(Files.readAllBytes(file)));
      }
    }
    return files;
  }

  static long segmentBytesOnDisk(Path dir) throws IOException {
    long total = 0;
    for (String name : segmentNames(dir)) {
      total += Files.size(dir.resolve(name));
    }
    return total;
  }

  static void flipByte(Path file, long position) throws IOException {
    byte[] content = Files.readAllBytes(file);
    content[(int) position] ^= 0x5A;
    Files.write(file, content);
  }

  private static List<String> names(Path dir, Predicate<String> wanted) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(file -> file.getFileName().toString()).filter(wanted).sorted().toList();
    }
  }
}
