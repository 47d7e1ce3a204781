package org.handoff.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.handoff.HandoffConfig;

/**
 * What the hub shows the systems it pushes to (a channel's ATS endpoint, the WMS), from the environment only:
 * {@code HANDOFF_ATS_AUTH_<CHANNEL>} and {@code HANDOFF_WMS_AUTH} hold a header's value exactly as it is sent
 * ({@code Bearer …}, {@code Basic …}, or a bare access token for a header such as {@code X-Shopify-Access-Token});
 * which header carries it is configuration ({@code channels.yaml}'s {@code atsPushAuthHeader},
 * {@code handoff.wms.auth-header}), so no secret ever sits in a mapping file or a URL. Values are never logged:
 * only the variables' names are.
 */
public final class OutboundAuth {

    public static final String WMS_VARIABLE = "HANDOFF_WMS_AUTH";
    private static final String ATS_PREFIX = "HANDOFF_ATS_AUTH_";

    /** A header to send: its value stays out of {@link #toString()} (and so out of any log line). */
    public record Credential(String header, String value) {
        @Override
        public String toString() {
            return header + ": (hidden)";
        }
    }

    private final Map<String, String> values = new TreeMap<>();

    /** @throws HandoffConfig.Invalid a value that would break the header (a line break): named, not shown */
    public OutboundAuth(Map<String, String> env) {
        env.forEach((name, value) -> {
            if ((name.startsWith(ATS_PREFIX) || name.equals(WMS_VARIABLE)) && value != null && !value.isBlank()) {
                if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
                    throw new HandoffConfig.Invalid(name + " contains a line break; it must be one header value");
                }
                values.put(name, value.strip());
            }
        });
    }

    /** The variable a channel's ATS credential comes from: its name upper-cased, other than A-Z and 0-9 as '_'. */
    public static String atsVariable(String channel) {
        return ATS_PREFIX + channel.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** The channel's ATS credential in {@code header}, when its variable is set. */
    public Optional<Credential> ats(String channel, String header) {
        return Optional.ofNullable(values.get(atsVariable(channel))).map(v -> new Credential(header, v));
    }

    /** The WMS credential in {@code header}, when {@link #WMS_VARIABLE} is set. */
    public Optional<Credential> wms(String header) {
        return Optional.ofNullable(values.get(WMS_VARIABLE)).map(v -> new Credential(header, v));
    }

    /** The variables that are set, by name (for the start-up summary). */
    public List<String> configured() {
        return new ArrayList<>(values.keySet());
    }

    /** An HTTP header name (RFC 9110 token): what a mapping or property may name as the credential's header. */
    public static boolean isHeaderName(String name) {
        return name != null && name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
    }
}
