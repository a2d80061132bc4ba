package io.switchboard.dryrun;

import java.io.Console;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar on standard error, redrawn at most every {@value #INTERVAL_MILLIS} ms, kept below the
 * report lines that standard output prints on the same terminal: it is erased before each and drawn again after.
 */
final class ProgressBar implements Progress {

  private static final long INTERVAL_MILLIS = 100;
  private static final int WIDTH = 30;
  /** Back to the start of the line and erase it (ANSI), as every terminal since the VT100 understands. */
  private static final String ERASE = "\r\033[K";

  private final PrintStream err;
  private final Runnable flushOutput;
  private final long total;
  private final LongSupplier position;
  /** Monotonic ms of the last drawing; meaningful once {@link #drawnOnce}. */
  private long lastDrawn;
  private boolean drawnOnce;
  private boolean shown;
  private boolean erased;

  /**
   * @param flushOutput flushes standard output, so that its lines are on the screen before the bar is drawn below
   * @param total       the capture's size in bytes
   * @param position    the bytes read so far
   */
  ProgressBar(PrintStream err, Runnable flushOutput, long total, LongSupplier position) {
    this.err = Objects.requireNonNull(err, "err");
    this.flushOutput = Objects.requireNonNull(flushOutput, "flushOutput");
    this.total = Math.max(1, total);
    this.position = Objects.requireNonNull(position, "position");
  }

  /**
   * Whether standard input and output are a terminal, so a person is watching. {@code System.console()} says so
   * on JDK 17 to 21; from JDK 22 it returns a console even when redirected, and {@code Console.isTerminal()} tells.
   */
  static boolean interactive() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  @Override
  public void tick() {
    if (!drawnOnce || millis() - lastDrawn >= INTERVAL_MILLIS) {
      draw();
    }
  }

  @Override
  public void beforeOutput() {
    if (shown) {
      err.print(ERASE);
      err.flush();
      shown = false;
      erased = true;
    }
  }

  @Override
  public void afterOutput() {
    if (erased) {
      erased = false;
      draw();
    }
  }

  @Override
  public void done() {
    beforeOutput();
    erased = false;
  }

  private void draw() {
    flushOutput.run();
    long read = Math.min(position.getAsLong(), total);
    int filled = (int) (WIDTH * read / total);
    err.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] "
        + String.format(Locale.ROOT, "%3d%%  %,d of %,d bytes", 100 * read / total, read, total));
    err.flush();
    shown = true;
    drawnOnce = true;
    lastDrawn = millis();
  }

  private static long millis() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
  }
}
