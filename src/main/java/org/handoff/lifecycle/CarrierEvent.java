package org.handoff.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Set;
import org.handoff.api.Json;

/**
 * One EasyPost webhook Event about a Tracker, reduced to what custody needs. The body is an Event
 * ({@code id}, {@code description} = topic, {@code created_at}) whose {@code result} is the Tracker
 * ({@code tracking_code}, {@code carrier}, {@code status}, {@code tracking_details[].datetime}).
 *
 * @param occurredAt when the carrier saw the parcel: the newest tracking detail, else the tracker's
 *                   {@code updated_at}, else the event's {@code created_at}; null when none is readable
 * @param fingerprint SHA-256 of the topic and the tracker, to tell a re-delivery of the same event
 *                    (EasyPost changes its delivery bookkeeping between attempts) from a conflicting one
 */
public record CarrierEvent(String eventId, String topic, String carrier, String trackingNumber, String status,
        String statusDetail, String trackerId, Instant occurredAt, String fingerprint) {

    /** The topics DESIGN §3 handles for carriers; any other is answered {@code ignored}. */
    public static final Set<String> HANDLED_TOPICS = Set.of("tracker.created", "tracker.updated");

    /** The signed body could not be used: held as MALFORMED_PAYLOAD (answered 200, so the sender stops). */
    public static final class Malformed extends RuntimeException {
        private final String eventId;

        Malformed(String eventId, String detail) {
            super(detail, null, false, false);
            this.eventId = eventId;
        }

        /** The event id when the body had one (so a retry of it is still a duplicate). */
        public String eventId() {
            return eventId;
        }
    }

    public boolean handled() {
        return HANDLED_TOPICS.contains(topic);
    }

    public String carrierKey() {
        return carrierKey(carrier);
    }

    /** "DHLExpress", "dhl-express" and "DHL Express" are the same carrier: lower-case letters and digits. */
    public static String carrierKey(String carrier) {
        return org.handoff.mapping.CarrierRules.key(carrier);
    }

    public static CarrierEvent parse(byte[] body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            throw new Malformed(null, "the body is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new Malformed(null, "the body is not a JSON object");
        }
        String id = text(root, "id");
        if (id == null) {
            throw new Malformed(null, "the event has no 'id'");
        }
        if (id.length() > 200) {
            throw new Malformed(null, "the event 'id' is longer than 200 characters");
        }
        String topic = text(root, "description");
        if (topic == null) {
            throw new Malformed(id, "event " + id + " has no 'description' (the topic)");
        }
        if (topic.length() > 100) {
            throw new Malformed(id, "event " + id + ": the 'description' (the topic) is longer than 100 characters");
        }
        ObjectNode identity = Json.MAPPER.createObjectNode();
        identity.put("description", topic);
        identity.set("result", root.get("result"));
        String fingerprint = sha256(Json.write(identity));
        if (!HANDLED_TOPICS.contains(topic)) {
            return new CarrierEvent(id, topic, null, null, null, null, null, null, fingerprint);
        }
        JsonNode tracker = root.get("result");
        if (tracker == null || !tracker.isObject()) {
            throw new Malformed(id, "event " + id + " (" + topic + ") has no tracker in 'result'");
        }
        String tracking = text(tracker, "tracking_code");
        String carrier = text(tracker, "carrier");
        String status = text(tracker, "status");
        StringBuilder missing = new StringBuilder();
        if (tracking == null) {
            missing.append(" result.tracking_code");
        }
        if (carrier == null) {
            missing.append(" result.carrier");
        }
        if (status == null) {
            missing.append(" result.status");
        }
        if (!missing.isEmpty()) {
            throw new Malformed(id, "event " + id + " (" + topic + ") lacks" + missing);
        }
        // what the event log and the shipments store (V40): longer is the sender's bad data, held as such
        java.util.List<String> overlong = new java.util.ArrayList<>(
                org.handoff.order.StoredWidths.overlongShipment(carrier, tracking));
        if (status.length() > 40) {
            overlong.add("status is " + status.length() + " characters long; at most 40 are stored");
        }
        if (!overlong.isEmpty()) {
            throw new Malformed(id, "event " + id + " (" + topic + "): " + String.join("; ", overlong));
        }
        Instant occurred = null;
        JsonNode details = tracker.get("tracking_details");
        if (details != null && details.isArray()) {
            for (JsonNode d : details) {
                Instant at = time(text(d, "datetime"));
                if (at != null && (occurred == null || at.isAfter(occurred))) {
                    occurred = at;
                }
            }
        }
        if (occurred == null) {
            occurred = time(text(tracker, "updated_at"));
        }
        if (occurred == null) {
            occurred = time(text(root, "created_at"));
        }
        return new CarrierEvent(id, topic, carrier, tracking, status.toLowerCase(java.util.Locale.ROOT),
                text(tracker, "status_detail"), text(tracker, "id"), occurred, fingerprint);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || v.isContainerNode()) {
            return null;
        }
        String s = v.asText().trim();
        return s.isEmpty() ? null : s;
    }

    static Instant time(String s) {
        if (s == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
