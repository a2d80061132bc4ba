package io.switchboard.config;

import io.switchboard.genesys.AnalyticsEvents;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One {@code genesys-poll} entry of {@code sources[]}: polls Genesys Cloud's analytics conversation-details jobs over
 * successive windows and admits the conversations' lifecycle events ({@link AnalyticsEvents}). Needs the
 * {@code genesys} section (token and request budget).
 *
 * @param id                 names the source in metrics, {@code /ready} and its checkpoint file ({@code [a-z0-9-]})
 * @param intervalSeconds    a window's length
 * @param overlapSeconds     each window starts this much before the previous one ended: late data and the mapping's
 *                           horizon ({@link AnalyticsEvents#HORIZON_MS}) need it; less than the interval
 * @param lagSeconds         windows end this far behind now (analytics data arrives late)
 * @param startAt            where a source without a checkpoint begins, epoch ms
 * @param pageSize           conversations per results page (1..1000)
 * @param jobPollMs          how often a submitted job's status is asked for
 * @param maxWindowsInFlight jobs submitted ahead of the one being paged; pages are admitted in window order
 * @param maxInFlight        admitted-but-unsettled events above which no further page is fetched
 * @param filters            passed through into the job query ({@code segmentFilters}, {@code conversationFilters},
 *                           ...), may be empty
 * @param checkpointDir      where {@code <node>/genesys-poll-<id>.checkpoint} is written
 */
public record GenesysPollSourceConfig(String id, int intervalSeconds, int overlapSeconds, int lagSeconds,
                                      long startAt, int pageSize, long jobPollMs, int maxWindowsInFlight,
                                      int maxInFlight, JsonObject filters, String checkpointDir) {

  public static final String TYPE = "genesys-poll";
  private static final Set<String> KEYS = Set.of("type", "id", "enabled", "intervalSeconds", "overlapSeconds",
      "lagSeconds", "startAt", "pageSize", "jobPollMs", "maxWindowsInFlight", "maxInFlight", "filters",
      "checkpointDir");
  private static final Set<String> FILTER_KEYS = Set.of("conversationFilters", "segmentFilters",
      "evaluationFilters", "surveyFilters", "resolutionFilters", "order", "orderBy", "startOfDayIntervalMatching");
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,40}");

  public GenesysPollSourceConfig {
    filters = filters == null ? new JsonObject() : filters.copy();
  }

  /** The stable source id: its settlement address, control address and metrics name it. */
  public String sourceId() {
    return TYPE + "-" + id;
  }

  /**
   * Parses one {@code sources[]} entry of type {@code genesys-poll}.
   *
   * @param now the clock, for {@code startAt} {@code "now"} and its default (now minus one interval)
   */
  public static GenesysPollSourceConfig from(ConfigNode node, long now) {
    node.allowOnly(KEYS);
    String id = node.requiredString("id");
    if (!ID.matcher(id).matches()) {
      throw new ConfigException(node.path("id"), "must match " + ID.pattern() + ", got '" + id + "'");
    }
    long horizon = (AnalyticsEvents.HORIZON_MS + 999) / 1000;
    // Windows must overlap by the horizon and still move on, so an interval must exceed it: said about the key the
    // user wrote, not about an overlap they never set.
    int interval = node.intValue("intervalSeconds", 60, (int) horizon + 1, 86_400);
    int overlap = node.intValue("overlapSeconds", (int) Math.min(30, Math.max(horizon, interval - 1)), 0, 86_400);
    if (overlap < horizon) {
      throw new ConfigException(node.path("overlapSeconds"), "must be at least " + horizon + ": an event becomes final "
          + "up to " + horizon + " s after it happened, and only an overlap that long finds it in the next window");
    }
    if (overlap >= interval) {
      throw new ConfigException(node.path("overlapSeconds"), "must be less than intervalSeconds (" + interval
          + "), or the windows would not move on");
    }
    String start = node.string("startAt", null);
    long startAt;
    if (start == null) {
      startAt = now - interval * 1000L;
    } else if ("now".equals(start)) {
      startAt = now;
    } else {
      try {
        startAt = Instant.parse(start).toEpochMilli();
      } catch (DateTimeParseException e) {
        throw new ConfigException(node.path("startAt"), "must be an ISO-8601 instant (2025-03-11T14:00:00Z) or \"now\", "
            + "got '" + start + "'");
      }
    }
    JsonObject filters = node.object("filters").allowOnly(FILTER_KEYS).json();
    for (String key : new String[] {"conversationFilters", "segmentFilters", "evaluationFilters", "surveyFilters",
        "resolutionFilters"}) {
      if (filters.containsKey(key) && !(filters.getValue(key) instanceof JsonArray)) {
        throw new ConfigException(node.path("filters") + "." + key, "must be an array of Genesys query filters");
      }
    }
    return new GenesysPollSourceConfig(id, interval, overlap,
        node.intValue("lagSeconds", 120, 0, 86_400),
        startAt,
        node.intValue("pageSize", 100, 1, 1_000),
        node.longValue("jobPollMs", 2_000, 10, 600_000),
        node.intValue("maxWindowsInFlight", 1, 1, 16),
        node.intValue("maxInFlight", 5_000, 1, 10_000_000),
        filters,
        node.string("checkpointDir", "data/checkpoints"));
  }
}
