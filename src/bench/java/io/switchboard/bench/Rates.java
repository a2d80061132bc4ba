package io.switchboard.bench;

/** Report number rounding: rates to one decimal, durations to the millisecond; more is noise on a shared box. */
final class Rates {

  private Rates() {
  }

  static double perSecond(long count, long nanos) {
    return nanos <= 0 ? 0 : oneDecimal(count * 1e9 / nanos);
  }

  static double seconds(long nanos) {
    return Math.round(nanos / 1e6) / 1e3;
  }

  static double oneDecimal(double value) {
    return Math.round(value * 10) / 10.0;
  }
}
