package org.handoff.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Reading EasyPost tracker events, and what their status means for custody. */
class CarrierEventTest {

    static CarrierEvent parse(String json) {
        return CarrierEvent.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheSampleTrackerEventTheNewestScanIsWhenItHappened() throws Exception {
        CarrierEvent e = CarrierEvent.parse(Files.readAllBytes(Path.of("samples/webhooks/easypost-tracker-delivered.json")));
        assertThat(e.eventId()).isEqualTo("evt_7d3e2f1a0b9c4d8e7f6a5b4c3d2e1f09");
        assertThat(e.topic()).isEqualTo("tracker.updated");
        assertThat(e.handled()).isTrue();
        assertThat(e.carrier()).isEqualTo("USPS");
        assertThat(e.trackingNumber()).isEqualTo("9400111202555842761234");
        assertThat(e.status()).isEqualTo("delivered");
        assertThat(e.occurredAt()).isEqualTo(Instant.parse("2026-11-23T01:15:00Z"));
    }

    @Test
    void withoutTrackingDetailsTheTrackerOrEventTimeIsUsed() {
        assertThat(parse("{\"id\":\"e1\",\"description\":\"tracker.created\",\"created_at\":\"2026-11-22T10:00:00.000Z\","
                + "\"result\":{\"tracking_code\":\"T\",\"carrier\":\"UPS\",\"status\":\"pre_transit\","
                + "\"updated_at\":\"2026-11-22T09:00:00Z\"}}").occurredAt()).isEqualTo(Instant.parse("2026-11-22T09:00:00Z"));
        assertThat(parse("{\"id\":\"e1\",\"description\":\"tracker.created\",\"created_at\":\"2026-11-22T10:00:00.000Z\","
                + "\"result\":{\"tracking_code\":\"T\",\"carrier\":\"UPS\",\"status\":\"pre_transit\"}}").occurredAt())
                .isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
    }

    @Test
    void theFingerprintIgnoresEasyPostsDeliveryBookkeeping() {
        String a = "{\"id\":\"e1\",\"description\":\"tracker.updated\",\"status\":\"pending\",\"pending_urls\":[\"x\"],"
                + "\"result\":{\"tracking_code\":\"T\",\"carrier\":\"UPS\",\"status\":\"in_transit\"}}";
        String retry = a.replace("\"pending\"", "\"failed\"").replace("[\"x\"]", "[]");
        String other = a.replace("in_transit", "delivered");
        assertThat(parse(retry).fingerprint()).isEqualTo(parse(a).fingerprint());
        assertThat(parse(other).fingerprint()).isNotEqualTo(parse(a).fingerprint());
    }

    @Test
    void unusableBodiesSayWhatIsMissingAndKeepTheEventIdWhenThereIsOne() {
        assertThatThrownBy(() -> parse("not json")).isInstanceOf(CarrierEvent.Malformed.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> parse("[1]")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> parse("{\"description\":\"tracker.updated\"}")).hasMessageContaining("no 'id'");
        assertThatThrownBy(() -> parse("{\"id\":\"e9\",\"description\":\"tracker.updated\",\"result\":{\"status\":\"x\"}}"))
                .isInstanceOf(CarrierEvent.Malformed.class)
                .hasMessageContaining("result.tracking_code").hasMessageContaining("result.carrier")
                .satisfies(t -> assertThat(((CarrierEvent.Malformed) t).eventId()).isEqualTo("e9"));
        // a topic not handled needs no tracker
        assertThat(parse("{\"id\":\"e2\",\"description\":\"batch.created\"}").handled()).isFalse();
    }

    @Test
    void carriersCompareByLettersAndDigits() {
        assertThat(CarrierEvent.carrierKey("DHLExpress")).isEqualTo(CarrierEvent.carrierKey("dhl-express"))
                .isEqualTo(CarrierEvent.carrierKey("DHL Express"));
        assertThat(CarrierEvent.carrierKey("UPS")).isNotEqualTo(CarrierEvent.carrierKey("USPS"));
    }

    @Test
    void custodyStartsWithTheFirstRealScan() {
        assertThat(TrackerStatus.provesCustody("pre_transit")).isFalse();
        assertThat(TrackerStatus.provesCustody("unknown")).isFalse();
        assertThat(TrackerStatus.provesCustody("in_transit")).isTrue();
        assertThat(TrackerStatus.provesCustody("out_for_delivery")).isTrue();
        assertThat(TrackerStatus.provesCustody("delivered")).isTrue();
        assertThat(TrackerStatus.provesCustody("failure")).isFalse();
        assertThat(TrackerStatus.isException("return_to_sender")).isTrue();
        assertThat(TrackerStatus.isException("failure")).isTrue();
        assertThat(TrackerStatus.isException("delivered")).isFalse();
    }
}
