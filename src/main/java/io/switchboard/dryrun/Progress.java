package io.switchboard.dryrun;

/** What a dry run shows of its progress while it reads: a bar on a terminal, or nothing. */
interface Progress {

  /** A line was read: show it, now and then. */
  void tick();

  /** A report line is about to be written: get out of its way. */
  void beforeOutput();

  /** The report line was written: come back below it. */
  void afterOutput();

  /** The capture is read: leave the screen to the summary. */
  void done();

  /** Shows nothing: when piped, or for a small capture. */
  Progress NONE = new Progress() {
    @Override
    public void tick() {
    }

    @Override
    public void beforeOutput() {
    }

    @Override
    public void afterOutput() {
    }

    @Override
    public void done() {
    }
  };
}
