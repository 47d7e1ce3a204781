package org.handoff.csvinbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.handoff.files.DropFolders;
import org.handoff.testing.TestDb;
import org.handoff.testing.TestHub;
import org.junit.jupiter.api.Test;

/**
 * Log lines carry ids, never addresses or emails. An orders CSV whose template line is right but whose header line
 * is missing: the line where the header should be is a customer's row, and the rejection logged it whole.
 */
class RejectedFileLogPrivacyIT {

    @Test
    void aRejectedOrdersFileDoesNotPutTheCustomersEmailAndAddressIntoTheLog() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(new TeeStream(original, captured), true, StandardCharsets.UTF_8));
        try (TestHub hub = TestHub.start(TestDb.H2)) {
            String content = "# template: orders-v1\n"
                    + "5810038866101,2026-11-22T05:02:41+01:00,jonas.becker@example.com,Jonas Becker,Lindenallee 7,,"
                    + "Hamburg,20259,DE,+49 40 7654321,ups_standard,TSHIRT-RED-M,1,19.90,EUR,paid\n";
            Path dropped = DropFolders.drop(hub, "orders", "orders_shopify_20261122T050000Z.csv", content);
            DropFolders.awaitReport(dropped, ".failed");
            Thread.sleep(300);
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log.lines().filter(l -> l.contains("jonas.becker@example.com") || l.contains("Lindenallee 7")).toList())
                .as("hub log lines carrying the customer's email or street").isEmpty();
    }

    static final class TeeStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int x) throws java.io.IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
