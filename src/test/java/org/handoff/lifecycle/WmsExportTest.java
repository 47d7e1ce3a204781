package org.handoff.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.handoff.order.HistoryEntry;
import org.handoff.order.Order;
import org.handoff.order.OrderLine;
import org.handoff.order.OrderState;
import org.handoff.order.ShipTo;
import org.junit.jupiter.api.Test;

/** The payloads the WMS receives. */
class WmsExportTest {

    static final Instant T = Instant.parse("2026-11-22T03:00:00Z");

    @Test
    void aPickTicketCarriesWhatThePickerNeedsAndItsKey() {
        Order o = new Order("o-1", "shopify", "1001", T, "EUR", "z@example.com",
                List.of(new OrderLine("TSHIRT-RED-M", "SHP-TEE-RED-M", 2, null)),
                new ShipTo("Zoë", "Straße 1", null, "Berlin", "10963", "DE", "+49"), "standard", "paid",
                OrderState.READY_TO_PICK, true, null, null, T, T, List.of());
        HistoryEntry why = new HistoryEntry(OrderState.ACCEPTED, OrderState.READY_TO_PICK, "PAYMENT_CAPTURED", Map.of(),
                "system:shopify", T.plusSeconds(5), T);
        Map<String, Object> ticket = WmsExport.pickTicket(o, 2, "o-1-v2", "o-1-v1", why);
        assertThat(ticket).containsEntry("type", "PICK_TICKET").containsEntry("idempotencyKey", "o-1-v2")
                .containsEntry("version", 2).containsEntry("replaces", "o-1-v1").containsEntry("issuedAt", "2026-11-22T03:00:05Z");
        assertThat(ticket.get("lines")).isEqualTo(List.of(Map.of("sku", "TSHIRT-RED-M", "quantity", 2)));
        assertThat(((Map<?, ?>) ticket.get("shipTo")).get("postcode")).isEqualTo("10963");
        assertThat(WmsExport.pickTicket(o, 1, "o-1-v1", null, why)).doesNotContainKey("replaces");
    }

    @Test
    void aCancelNamesTheTicketsItWithdraws() {
        HistoryEntry why = new HistoryEntry(OrderState.READY_TO_PICK, OrderState.CANCELLED, "CANCEL_REQUESTED", Map.of(),
                "ops", T, T);
        assertThat(WmsExport.cancel("o-1", 3, "o-1-v3", List.of("o-1-v1", "o-1-v2"), why))
                .containsEntry("type", "CANCEL").containsEntry("cancels", List.of("o-1-v1", "o-1-v2"))
                .containsEntry("reason", "CANCEL_REQUESTED");
    }

    @Test
    void messageNamesAndKeys() {
        WmsMessage ticket = new WmsMessage(1, "o-1", 1, WmsMessage.PICK_TICKET, WmsMessage.key("o-1", 1), "{}",
                WmsMessage.PENDING, 0, null, T, null);
        assertThat(ticket.idempotencyKey()).isEqualTo("o-1-v1");
        assertThat(ticket.fileName()).isEqualTo("pick-ticket_o-1_v1.json");
        assertThat(new WmsMessage(2, "o-1", 2, WmsMessage.CANCEL, "o-1-v2", "{}", WmsMessage.PENDING, 0, null, T, null)
                .fileName()).isEqualTo("cancel_o-1_v2.json");
    }
}
