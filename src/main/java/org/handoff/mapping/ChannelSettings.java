package org.handoff.mapping;

import java.io.Reader;
import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.handoff.security.OutboundAuth;

/**
 * {@code channels.yaml}: per channel, the safety stock default and per-SKU overrides, and where ATS
 * pushes go (an HTTP URL, or when absent the outbox folder {@code data/outbox/ats/<channel>/}) and in which
 * header their credential goes (its value only ever comes from the environment: {@link OutboundAuth}).
 * <pre>
 * channels:
 *   shopify:
 *     safetyStock: 2
 *     safetyStockBySku: {TSHIRT-RED-M: 5}
 *     atsPushUrl: https://example.test/ats      # optional
 *     atsPushAuthHeader: X-Shopify-Access-Token # optional, default Authorization; value: HANDOFF_ATS_AUTH_SHOPIFY
 * </pre>
 */
public final class ChannelSettings {

    record Channel(int safetyStock, Map<String, Integer> bySku, String atsPushUrl, String atsPushAuthHeader) {}

    private static final List<String> KEYS = List.of("safetyStock", "safetyStockBySku", "atsPushUrl", "atsPushAuthHeader");

    static final String DEFAULT_AUTH_HEADER = "Authorization";

    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Map<String, Channel> channels;

    private ChannelSettings(Map<String, Channel> channels) {
        this.channels = channels;
    }

    public static ChannelSettings empty() {
        return new ChannelSettings(Map.of());
    }

    public static ChannelSettings parse(Reader reader, String file) throws MappingException {
        Map<String, Channel> out = new LinkedHashMap<>();
        Map<String, String> byVariable = new HashMap<>();
        for (Map.Entry<String, Object> entry : MappingYaml.read(reader, file, "channels").entrySet()) {
            String where = file + ": channels." + entry.getKey();
            // the name is a folder (data/outbox/ats/<channel>/) and part of an environment variable's name
            if (!NAME.matcher(entry.getKey()).matches()) {
                throw new MappingException(where + ": a channel name is 1 to 64 letters, digits, '.', '_' or '-', "
                        + "starting with a letter or digit");
            }
            String other = byVariable.putIfAbsent(OutboundAuth.atsVariable(entry.getKey()), entry.getKey());
            if (other != null) {
                throw new MappingException(where + ": channels " + other + " and " + entry.getKey() + " would share "
                        + "the credential variable " + OutboundAuth.atsVariable(entry.getKey()) + "; rename one");
            }
            Map<String, Object> c = MappingYaml.map(entry.getValue(), where);
            for (String key : c.keySet()) {
                if (!KEYS.contains(key)) {
                    throw new MappingException(where + ": unknown key '" + key + "' (expected "
                            + String.join(", ", KEYS) + ")");
                }
            }
            Integer safety = MappingYaml.nonNegativeInt(c.get("safetyStock"), where + ".safetyStock");
            Map<String, Integer> bySku = new HashMap<>();
            for (Map.Entry<String, Object> o : MappingYaml.map(c.get("safetyStockBySku"),
                    where + ".safetyStockBySku").entrySet()) {
                bySku.put(o.getKey(), MappingYaml.nonNegativeInt(o.getValue(), where + ".safetyStockBySku." + o.getKey()));
            }
            String url = MappingYaml.text(c.get("atsPushUrl"), where + ".atsPushUrl");
            if (url != null && !url.isEmpty()) {
                try {
                    URI uri = URI.create(url);
                    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                        throw new IllegalArgumentException("scheme");
                    }
                } catch (IllegalArgumentException e) {
                    throw new MappingException(where + ".atsPushUrl must be an http(s) URL");
                }
                // a mapping file is read by every integrator and kept in git: credentials come from the environment
                if (URI.create(url).getRawUserInfo() != null) {
                    throw new MappingException(where + ".atsPushUrl carries credentials (user:password@); put them in "
                            + OutboundAuth.atsVariable(entry.getKey()) + " instead");
                }
            }
            String header = MappingYaml.text(c.get("atsPushAuthHeader"), where + ".atsPushAuthHeader");
            if (header != null && !OutboundAuth.isHeaderName(header)) {
                throw new MappingException(where + ".atsPushAuthHeader must be an HTTP header name");
            }
            out.put(entry.getKey(), new Channel(safety == null ? 0 : safety, Map.copyOf(bySku),
                    url == null || url.isEmpty() ? null : url, header == null ? DEFAULT_AUTH_HEADER : header));
        }
        return new ChannelSettings(out);
    }

    public List<String> channels() {
        return List.copyOf(channels.keySet());
    }

    /** Per-SKU override, else the channel default, else 0 (an unknown channel withholds nothing). */
    public int safetyStock(String channel, String sku) {
        Channel c = channels.get(channel);
        if (c == null) {
            return 0;
        }
        return c.bySku().getOrDefault(sku, c.safetyStock());
    }

    public Optional<String> atsPushUrl(String channel) {
        Channel c = channels.get(channel);
        return c == null ? Optional.empty() : Optional.ofNullable(c.atsPushUrl());
    }

    /** The header a push to the channel carries its credential in ({@code Authorization} unless configured). */
    public String atsPushAuthHeader(String channel) {
        Channel c = channels.get(channel);
        return c == null ? DEFAULT_AUTH_HEADER : c.atsPushAuthHeader();
    }
}
