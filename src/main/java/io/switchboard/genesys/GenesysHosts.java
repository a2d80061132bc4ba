package io.switchboard.genesys;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Where a Genesys Cloud organisation's APIs live: the API base by AWS region, as the platform SDKs list them, and
 * the login (OAuth) base derived from it the way the SDKs do, by replacing {@code //api.} with {@code //login.}.
 * An explicit base URL (an emulator, a proxy) is used as given for both.
 */
public record GenesysHosts(URI apiBase, URI loginBase) {

  /** Region → API host (SDK-py {@code purecloud_region_hosts.py}). */
  private static final Map<String, String> API_HOSTS = Map.ofEntries(
      Map.entry("us-east-1", "api.mypurecloud.com"),
      Map.entry("eu-west-1", "api.mypurecloud.ie"),
      Map.entry("ap-southeast-2", "api.mypurecloud.com.au"),
      Map.entry("ap-northeast-1", "api.mypurecloud.jp"),
      Map.entry("eu-central-1", "api.mypurecloud.de"),
      Map.entry("us-west-2", "api.usw2.pure.cloud"),
      Map.entry("ca-central-1", "api.cac1.pure.cloud"),
      Map.entry("ap-northeast-2", "api.apne2.pure.cloud"),
      Map.entry("eu-west-2", "api.euw2.pure.cloud"),
      Map.entry("ap-south-1", "api.aps1.pure.cloud"),
      Map.entry("us-east-2", "api.use2.us-gov-pure.cloud"),
      Map.entry("sa-east-1", "api.sae1.pure.cloud"),
      Map.entry("me-central-1", "api.mec1.pure.cloud"),
      Map.entry("ap-northeast-3", "api.apne3.pure.cloud"),
      Map.entry("eu-central-2", "api.euc2.pure.cloud"),
      Map.entry("mx-central-1", "api.mxc1.pure.cloud"),
      Map.entry("ap-southeast-1", "api.apse1.pure.cloud"));

  /** The hosts of {@code region}, or empty when it is not a Genesys Cloud region. */
  public static Optional<GenesysHosts> ofRegion(String region) {
    String api = API_HOSTS.get(region);
    if (api == null) {
      return Optional.empty();
    }
    return Optional.of(new GenesysHosts(URI.create("https://" + api), URI.create("https://" + api.replaceFirst(
        "^api\\.", "login."))));
  }

  /** An explicit base: API and login requests both go there (an emulator serves both on one port). */
  public static GenesysHosts ofBase(URI base) {
    String text = base.toString().replaceAll("/+$", "");
    URI api = URI.create(text);
    URI login = URI.create(text.replaceFirst("//api\\.", "//login."));
    return new GenesysHosts(api, login);
  }

  public static java.util.Set<String> regions() {
    return new java.util.TreeSet<>(API_HOSTS.keySet());
  }
}
