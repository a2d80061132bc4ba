package io.switchboard.verticles;

import io.switchboard.ingest.ItemResult;

import java.util.List;

/**
 * The body of a {@code POST /events} answer: counts per outcome and one entry per item, in request order. Written
 * by hand rather than through a JSON tree, because every request gets one: building and sending the answer was
 * 6.5 % of the event loops' profile samples, the tree and its encoding part of that.
 *
 * @param mustRetry some item could not be admitted: the answer is {@code 503} and the sender retries the request
 */
record IngestSummary(String json, boolean mustRetry) {

  static IngestSummary of(List<ItemResult> items) {
    int accepted = 0;
    int duplicates = 0;
    int deadLettered = 0;
    int ignored = 0;
    int retry = 0;
    StringBuilder results = new StringBuilder(160 * items.size() + 2).append('[');
    for (int i = 0; i < items.size(); i++) {
      ItemResult item = items.get(i);
      if (i > 0) {
        results.append(',');
      }
      item.appendJson(results);
      switch (item.status()) {
        case ACCEPTED -> accepted++;
        case DUPLICATE -> duplicates++;
        case DEAD_LETTERED -> deadLettered++;
        case IGNORED -> ignored++;
        case RETRY -> retry++;
      }
    }
    // Counts first, as the README shows the answer.
    StringBuilder out = new StringBuilder(results.length() + 160).append("{\"accepted\":").append(accepted)
        .append(",\"duplicates\":").append(duplicates).append(",\"deadLettered\":").append(deadLettered)
        .append(",\"ignored\":").append(ignored).append(",\"results\":").append(results.append(']'));
    if (retry > 0) {
      out.append(",\"retry\":").append(retry)
          .append(",\"error\":\"some items could not be admitted; retry the request\"");
    }
    return new IngestSummary(out.append('}').toString(), retry > 0);
  }
}
