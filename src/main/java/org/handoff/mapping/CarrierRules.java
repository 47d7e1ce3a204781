package org.handoff.mapping;

import java.io.Reader;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code carriers.yaml}: per carrier, whether the recipient's phone is mandatory and the silence
 * cut-off after handover (ISO 8601 duration) past which CARRIER_SILENT fires; shipping method codes
 * point at their carrier.
 * <pre>
 * carriers:
 *   dhl-express:
 *     phoneRequired: true
 *     silenceCutoff: PT48H
 *     shippingMethods: [express, dhl_express]
 * </pre>
 */
public final class CarrierRules {

    public record Carrier(String name, boolean phoneRequired, Duration silenceCutoff) {}

    private final Map<String, Carrier> byNameOrMethod;

    private CarrierRules(Map<String, Carrier> byNameOrMethod) {
        this.byNameOrMethod = byNameOrMethod;
    }

    public static CarrierRules empty() {
        return new CarrierRules(Map.of());
    }

    public static CarrierRules parse(Reader reader, String file) throws MappingException {
        Map<String, Carrier> out = new HashMap<>();
        for (Map.Entry<String, Object> entry : MappingYaml.read(reader, file, "carriers").entrySet()) {
            String where = file + ": carriers." + entry.getKey();
            Map<String, Object> c = MappingYaml.map(entry.getValue(), where);
            for (String key : c.keySet()) {
                if (!List.of("phoneRequired", "silenceCutoff", "shippingMethods").contains(key)) {
                    throw new MappingException(where + ": unknown key '" + key
                            + "' (expected phoneRequired, silenceCutoff, shippingMethods)");
                }
            }
            boolean phone = MappingYaml.bool(c.get("phoneRequired"), where + ".phoneRequired", false);
            String cutoffText = MappingYaml.text(c.get("silenceCutoff"), where + ".silenceCutoff");
            Duration cutoff = null;
            if (cutoffText != null) {
                try {
                    cutoff = Duration.parse(cutoffText);
                } catch (DateTimeParseException e) {
                    throw new MappingException(where + ".silenceCutoff must be an ISO 8601 duration such as PT48H");
                }
                if (cutoff.isNegative() || cutoff.isZero()) {
                    throw new MappingException(where + ".silenceCutoff must be positive");
                }
            }
            Carrier carrier = new Carrier(entry.getKey(), phone, cutoff);
            put(out, entry.getKey(), carrier, where);
            Object methods = c.get("shippingMethods");
            if (methods != null) {
                if (!(methods instanceof List<?> list)) {
                    throw new MappingException(where + ".shippingMethods must be a list");
                }
                for (Object m : list) {
                    String method = MappingYaml.text(m == null ? null : m.toString(), where + ".shippingMethods");
                    if (method == null || key(method).isEmpty()) {
                        // an item left empty while editing: the file is rejected whole, not read without it
                        throw new MappingException(where + ".shippingMethods has an empty item");
                    }
                    put(out, method, carrier, where);
                }
            }
        }
        return new CarrierRules(out);
    }

    /**
     * A carrier's (or shipping method's) name as names are compared everywhere: lower-case letters and digits, so
     * "DHL Express", "DHLExpress" (EasyPost) and "dhl-express" are the same carrier — the same key carrier events
     * are matched on, so the cut-off and the phone rule know a carrier under every name matching knows.
     */
    public static String key(String name) {
        return name == null ? null : name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    private static void put(Map<String, Carrier> out, String key, Carrier carrier, String where) throws MappingException {
        Carrier previous = out.put(key(key), carrier);
        if (previous != null && !previous.name().equals(carrier.name())) {
            throw new MappingException(where + ": '" + key + "' already belongs to carrier " + previous.name());
        }
    }

    /** The carrier by its own name or one of its shipping method codes, compared by {@link #key}. */
    public Optional<Carrier> find(String carrierOrMethod) {
        if (carrierOrMethod == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(byNameOrMethod.get(key(carrierOrMethod)));
    }
}
