package org.handoff.holds;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;

class HoldServiceTest {

    /** The exception classes the transient-faults onException of routes/errors.camel.yaml lists. */
    private static List<String> listedInTheRoutes() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("routes/errors.camel.yaml"));
        List<String> out = new ArrayList<>();
        boolean inList = false;
        for (String line : lines) {
            String t = line.trim();
            if (t.equals("id: transient-faults")) {
                inList = true;
            } else if (inList && t.startsWith("- ")) {
                out.add(t.substring(2).trim());
            } else if (inList && !t.startsWith("#") && !t.equals("exception:")) {
                break;
            }
        }
        return out;
    }

    @Test
    void theRetriedFaultsAndTheHeldAsDownstreamUnavailableFaultsAreTheSameList() throws Exception {
        List<String> listed = listedInTheRoutes();
        assertThat(listed).contains("java.net.ConnectException", "org.apache.hc.client5.http.ConnectTimeoutException");
        assertThat(listed).containsExactlyInAnyOrderElementsOf(
                HoldService.TRANSIENT_FAULTS.stream().map(Class::getName).toList());
    }

    @Test
    void aTransientFaultAnywhereInTheCauseChainIsHeldAsDownstreamUnavailable() {
        Exception wrapped = new IllegalStateException("send failed", new ConnectException("refused"));
        assertThat(HoldService.isTransient(wrapped)).isTrue();
        assertThat(HoldService.reasonFor(wrapped)).isEqualTo(HoldService.DOWNSTREAM_UNAVAILABLE);
        assertThat(HoldService.isTransient(new java.net.UnknownHostException("wms.example"))).isTrue();
        assertThat(HoldService.isTransient(new IllegalArgumentException("bad body"))).isFalse();
        assertThat(HoldService.reasonFor(new IllegalArgumentException("bad body"))).isEqualTo("PROCESSING_ERROR");
    }

    @Test
    void httpAnswersThatSayLaterAreTransientAndOtherRefusalsAreNot() {
        for (int status : new int[] {500, 502, 503, 504, 408, 429}) {
            assertThat(HoldService.isTransient(answered(status))).as("HTTP %d", status).isTrue();
        }
        for (int status : new int[] {400, 401, 403, 404, 409, 413, 422}) {
            assertThat(HoldService.isTransient(answered(status))).as("HTTP %d", status).isFalse();
        }
    }

    @Test
    void onlyA4xxAboutWhatWasSentRefusesTheContentNotTheMomentOrTheCredential() {
        for (int status : new int[] {400, 404, 409, 410, 413, 422}) {
            assertThat(HoldService.refusesContent(new RuntimeException(answered(status)))).as("HTTP %d", status).isTrue();
        }
        for (int status : new int[] {401, 403, 408, 429, 500, 503}) {
            assertThat(HoldService.refusesContent(answered(status))).as("HTTP %d", status).isFalse();
        }
        assertThat(HoldService.refusesContent(new java.net.ConnectException("refused"))).isFalse();
    }

    @Test
    void retryAfterIsReadInSecondsOrAsAnHttpDate() {
        java.time.Instant now = java.time.Instant.parse("2026-11-24T10:00:00Z");
        assertThat(HoldService.retryAfter(answered(429, Map.of("Retry-After", "120")), now))
                .contains(java.time.Duration.ofSeconds(120));
        assertThat(HoldService.retryAfter(new IllegalStateException("wrapped", answered(503,
                Map.of("retry-after", "Tue, 24 Nov 2026 10:05:00 GMT"))), now)).contains(java.time.Duration.ofMinutes(5));
        assertThat(HoldService.retryAfter(answered(503, Map.of("Retry-After", "Tue, 24 Nov 2026 09:00:00 GMT")), now))
                .contains(java.time.Duration.ZERO); // a date gone by: no wait
        assertThat(HoldService.retryAfter(answered(429, Map.of("Retry-After", "soon")), now)).isEmpty();
        assertThat(HoldService.retryAfter(answered(429), now)).isEmpty();
        assertThat(HoldService.retryAfter(new ConnectException("refused"), now)).isEmpty();
    }

    @Test
    void aLaterThatAsksForMoreThanTheWholeBackOffIsHeldAtOnceNotRetried() {
        java.time.Duration backOff = HoldService.backOff(4, 500, 2.0);
        assertThat(backOff).isEqualTo(java.time.Duration.ofMillis(7_500)); // 0.5 + 1 + 2 + 4 s
        HoldService service = new HoldService(null, backOff);
        assertThat(service.retriedHere(answered(429))).isTrue();
        assertThat(service.retriedHere(answered(429, Map.of("Retry-After", "5")))).isTrue();
        assertThat(service.retriedHere(answered(429, Map.of("Retry-After", "3600")))).isFalse();
        assertThat(service.retriedHere(answered(400))).isFalse();
        assertThat(service.retriedHere(new ConnectException("refused"))).isTrue();
    }

    private static HttpOperationFailedException answered(int status, Map<String, String> headers) {
        return new HttpOperationFailedException("http://channel.test/ats", status, "status " + status, null, headers, "");
    }

    private static HttpOperationFailedException answered(int status) {
        return new HttpOperationFailedException("http://channel.test/ats", status, "status " + status, null, Map.of(), "");
    }

    @Test
    void aHoldDetailNamesADatabaseErrorBySqlStateNeverByTheDriversTextWhichQuotesTheValues() {
        java.sql.SQLException driver = new java.sql.SQLIntegrityConstraintViolationException(
                "Unique index violation: PUBLIC.ORDERS(EMAIL) VALUES ('anna@example.test')", "23505", 23505);
        String wrapped = HoldService.describe(new IllegalStateException("PO line could not be written",
                new RuntimeException(driver)));
        assertThat(wrapped).startsWith("PO line could not be written").contains("SQLState 23505")
                .doesNotContain("anna@example.test");
        assertThat(HoldService.describe(driver)).contains("SQLState 23505").doesNotContain("anna@example.test");
        assertThat(HoldService.describe(new IllegalStateException("x", new java.io.IOException("disk full"))))
                .isEqualTo("x (disk full)");
    }
}
