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

    private static HttpOperationFailedException answered(int status) {
        return new HttpOperationFailedException("http://channel.test/ats", status, "status " + status, null, Map.of(), "");
    }
}
