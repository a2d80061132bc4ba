package io.switchboard.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Failure injection that stops root too (tests run as root, so chmod would not): a directory is moved aside and a
 * regular file put in its place, so nothing can be created in it (ENOTDIR) until {@link #repair()} puts it back.
 * Files already open in it stay writable, so a writer must be made to open a new one to feel it.
 */
public final class UnwritableDir {

  private final Path dir;
  private final Path aside;

  private UnwritableDir(Path dir) {
    this.dir = dir;
    this.aside = dir.resolveSibling(dir.getFileName() + "-aside");
  }

  public static UnwritableDir breakDir(Path dir) throws IOException {
    UnwritableDir broken = new UnwritableDir(dir);
    Files.move(dir, broken.aside);
    Files.writeString(dir, "a regular file where a directory should be");
    return broken;
  }

  /** Where the directory's content is while it is broken. */
  public Path aside() {
    return aside;
  }

  public void repair() throws IOException {
    Files.delete(dir);
    Files.move(aside, dir);
  }
}
