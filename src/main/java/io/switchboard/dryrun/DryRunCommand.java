package io.switchboard.dryrun;

import io.switchboard.config.ConfigException;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.config.TargetConfig;
import io.vertx.core.json.DecodeException;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code java -jar switchboard.jar dry-run [-conf my.json] captured.jsonl [--out dir]}: runs a capture through the
 * pipeline's logic offline ({@link DryRun}) and prints what would happen to each item and a summary
 * ({@link DryRunReport}). The launcher reads and validates {@code -conf} first, exactly as for a start, so a bad
 * config fails with the server's message and exit code; this takes over from there.
 *
 * <p>Exit codes: 0 when the capture was read to the end, whatever the verdicts; 1 when a schema, the lifecycle, the
 * capture or an output file cannot be read or written (the schema and lifecycle messages are the server's start
 * failures); 2 for a bad command line.
 */
public final class DryRunCommand {

  /** The first argument that selects the dry run instead of a start. */
  public static final String NAME = "dry-run";
  /** A capture larger than this shows a progress bar on a terminal. */
  static final long PROGRESS_BYTES = 1 << 20;

  private DryRunCommand() {
  }

  /**
   * The launcher's entry, with the arguments after {@code dry-run} and the config it parsed; returns the exit code.
   * The report goes to standard output; logs, which the shipped logback config writes to the console, go to
   * standard error with the progress bar, so that the report can be piped.
   */
  public static int main(String[] args, SwitchboardConfig config) {
    PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
        false, StandardCharsets.UTF_8);
    PrintStream err = System.err;
    System.setOut(err);
    try {
      return run(args, config, out, err, ProgressBar.interactive());
    } finally {
      out.flush();
    }
  }

  /** @param terminal whether a person watches standard output and error (then a large capture shows progress) */
  static int run(String[] args, SwitchboardConfig config, PrintStream out, PrintStream err, boolean terminal) {
    DryRunOptions options;
    try {
      options = DryRunOptions.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("switchboard: dry-run: " + e.getMessage());
      err.println(DryRunOptions.USAGE);
      return 2;
    }
    if (options.help()) {
      out.println(DryRunOptions.USAGE);
      return 0;
    }
    DryRunReport report = new DryRunReport(out, config.enabledTargets(), !options.summaryOnly());
    boolean stdin = options.input().equals("-");
    try (CaptureReader reader = new CaptureReader(stdin ? System.in : Files.newInputStream(Path.of(options.input())),
             config.http().maxBodyBytes() + 1);
         PayloadFiles files = options.out() == null ? null
             : new PayloadFiles(options.out(), config.enabledTargets().stream().map(TargetConfig::id).toList())) {
      DryRun dryRun;
      try {
        dryRun = new DryRun(config, new Arrivals(System.currentTimeMillis(), options.gapMillis()), report::verdict,
            files == null ? (target, payload) -> { } : files::write);
      } catch (ConfigException | IllegalArgumentException | DecodeException e) {
        // What the server says when the same schemas or lifecycle stop its start.
        err.println("switchboard: cannot start: " + e.getMessage());
        return 1;
      }
      long size = stdin ? -1 : Files.size(Path.of(options.input()));
      Progress progress = terminal && size > PROGRESS_BYTES
          ? new ProgressBar(err, report::flush, size, reader::position) : Progress.NONE;
      report.progress(progress);
      for (CaptureReader.Line line; (line = reader.next()) != null; ) {
        dryRun.offer(line.number(), line.bytes(), line.length());
        progress.tick();
      }
      dryRun.finish();
      progress.done();
      report.summary();
      return 0;
    } catch (NoSuchFileException e) {
      err.println("switchboard: dry-run: " + e.getFile() + ": no such file");
      return 1;
    } catch (IOException | UncheckedIOException e) {
      err.println("switchboard: dry-run: " + e.getMessage());
      return 1;
    }
  }
}
