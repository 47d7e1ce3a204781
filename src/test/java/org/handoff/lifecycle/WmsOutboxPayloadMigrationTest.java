package org.handoff.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.handoff.testing.TestDb;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * V43 moves the WMS outbox's payloads into a table of their own, V62 keys them by message id: every message keeps
 * its payload through both.
 */
class WmsOutboxPayloadMigrationTest {

    @ParameterizedTest
    @MethodSource("org.handoff.testing.TestDb#all")
    void everyMessageKeepsItsPayloadInTheTableApart(TestDb db) throws Exception {
        try (TestDb.Scratch scratch = db.scratch()) {
            scratch.migrateTo("42");
            try (Connection c = scratch.connect(); Statement s = c.createStatement()) {
                s.execute("insert into wms_outbox (order_id, version, kind, idempotency_key, payload, status, attempts, "
                        + "created_at, sent_at) values "
                        + "('A', 1, 'PICK_TICKET', 'A-v1', '{\"orderId\":\"A\",\"v\":1}', 'sent', 1, "
                        + "timestamp with time zone '2026-11-20 03:00:00+00', timestamp with time zone '2026-11-20 03:00:01+00'), "
                        + "('A', 2, 'CANCEL', 'A-v2', '{\"orderId\":\"A\",\"v\":2}', 'pending', 0, "
                        + "timestamp with time zone '2026-11-20 04:00:00+00', null), "
                        + "('B', 1, 'PICK_TICKET', 'B-v1', '{\"orderId\":\"B\",\"v\":1}', 'held', 3, "
                        + "timestamp with time zone '2026-11-20 05:00:00+00', null)");
            }
            scratch.migrateTo("56");
            Map<String, String> rows = new HashMap<>();
            try (Connection c = scratch.connect(); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("select o.idempotency_key, o.status, p.payload from wms_outbox o "
                        + "join wms_outbox_payload p on p.order_id = o.order_id and p.version = o.version")) {
                    while (rs.next()) {
                        rows.put(rs.getString(1), rs.getString(2) + " " + rs.getString(3));
                    }
                }
                // one payload per message: the (order, version) key holds
                assertThatThrownBy(() -> s.execute("insert into wms_outbox_payload (order_id, version, payload) "
                        + "values ('A', 1, '{}')")).isInstanceOf(SQLException.class);
            }
            assertThat(rows).containsOnly(
                    Map.entry("A-v1", "sent {\"orderId\":\"A\",\"v\":1}"),
                    Map.entry("A-v2", "pending {\"orderId\":\"A\",\"v\":2}"),
                    Map.entry("B-v1", "held {\"orderId\":\"B\",\"v\":1}"));

            // V62: the same payloads, now under each message's id
            scratch.migrate();
            Map<String, String> byId = new HashMap<>();
            try (Connection c = scratch.connect(); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("select o.idempotency_key, o.status, p.payload from wms_outbox o "
                        + "join wms_outbox_payload p on p.message_id = o.message_id")) {
                    while (rs.next()) {
                        byId.put(rs.getString(1), rs.getString(2) + " " + rs.getString(3));
                    }
                }
                assertThatThrownBy(() -> s.execute("insert into wms_outbox_payload (message_id, payload) "
                        + "select message_id, '{}' from wms_outbox where idempotency_key = 'A-v1'"))
                        .isInstanceOf(SQLException.class);
            }
            assertThat(byId).isEqualTo(rows);
        }
    }
}
