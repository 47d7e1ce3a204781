package org.handoff.csvinbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.handoff.order.CanonicalOrder;
import org.junit.jupiter.api.Test;

class CsvOrderAssemblerTest {

    private static CsvOrderRow row(long n, String placedAt, String sku, String quantity, String price) {
        return new CsvOrderRow(n, List.of("1001", placedAt, " zoe@example.com ", "Zoë Müller", "Hauptstraße 1", "",
                "Berlin", "10115", "de", "", "standard", sku, quantity, price, "eur", "PAID"));
    }

    @Test
    void rowsBecomeTheCanonicalOrderAWebhookWouldMake() {
        CanonicalOrder order = CsvOrderAssembler.assemble("shopify", new OrderGroup("1001", List.of(
                row(3, "2026-11-22T04:15:00+01:00", "SHP-TEE-RED-M", "2", "19.90"),
                row(7, "2026-11-22T04:15:00+01:00", "44012345678902", "1", "")), 0));
        assertThat(order.channel()).isEqualTo("shopify");
        assertThat(order.externalId()).isEqualTo("1001");
        assertThat(order.placedAt()).isEqualTo(Instant.parse("2026-11-22T03:15:00Z"));
        assertThat(order.updatedAt()).isNull();
        assertThat(order.currency()).isEqualTo("EUR");
        assertThat(order.paymentStatus()).isEqualTo("paid");
        assertThat(order.email()).isEqualTo("zoe@example.com");
        assertThat(order.shipTo().country()).isEqualTo("DE");
        assertThat(order.shipTo().address2()).isNull();
        assertThat(order.shipTo().phone()).isNull();
        assertThat(order.lines()).containsExactly(
                new CanonicalOrder.Line("SHP-TEE-RED-M", null, 2, new BigDecimal("19.90")),
                new CanonicalOrder.Line("44012345678902", null, 1, null));
        assertThat(order.cancelled()).isFalse();
    }

    @Test
    void aPlacedAtWithoutOffsetIsKeptAsTextForTheTimestampRule() {
        CanonicalOrder order = CsvOrderAssembler.assemble("shopify",
                new OrderGroup("1001", List.of(row(3, "22.11.2026 04:15", "A", "1", "1")), 0));
        assertThat(order.placedAt()).isNull();
        assertThat(order.placedAtText()).isEqualTo("22.11.2026 04:15");
    }

    @Test
    void aHeldOrdersPayloadIsASmallOrdersFileThatParsesBackToTheSameGroup() {
        OrderGroup group = new OrderGroup("1001", List.of(row(3, "2026-11-22T03:00:00Z", "A", "1", "1.00"),
                row(9, "2026-11-22T03:00:00Z", "B", "2", "2.00")), 0);
        String payload = CsvOrderProcessor.asFile(group);
        assertThat(payload).startsWith("# template: orders-v1\r\norder_id,placed_at,");
        List<String> problems = new ArrayList<>();
        OrderGroup back = CsvOrderProcessor.parseOne(payload, problems);
        assertThat(problems).isEmpty();
        assertThat(back.orderId()).isEqualTo("1001");
        assertThat(back.rows()).extracting(CsvOrderRow::values).containsExactlyElementsOf(
                group.rows().stream().map(CsvOrderRow::values).toList());
    }

    @Test
    void aHeldOrdersPayloadIsWrittenAsEachRowFormattedAlone() {
        // awkward values: quotes, commas, line breaks, a leading '#', leading and trailing spaces, empty cells
        OrderGroup group = new OrderGroup("1001", List.of(
                new CsvOrderRow(3, List.of("1001", "#1", "a\"b@example.com", "Name, Jr.", "line\r\nbreak", "",
                        " Berlin ", "10115 ", "DE", "", "standard", "A", "1", "1.00", "EUR", "paid")),
                row(9, "2026-11-22T03:00:00Z", "B", "2", "2.00")), 0);
        org.apache.commons.csv.CSVFormat csv = org.apache.commons.csv.CSVFormat.DEFAULT.builder()
                .setIgnoreEmptyLines(true).get();
        StringBuilder expected = new StringBuilder("# template: orders-v1\r\n")
                .append(csv.format(OrdersTemplate.HEADER.toArray())).append("\r\n");
        for (CsvOrderRow r : group.rows()) {
            expected.append(csv.format(r.values().toArray())).append("\r\n");
        }
        assertThat(CsvOrderProcessor.asFile(group)).isEqualTo(expected.toString());
        List<String> problems = new ArrayList<>();
        assertThat(CsvOrderProcessor.parseOne(CsvOrderProcessor.asFile(group), problems).rows())
                .extracting(CsvOrderRow::values).containsExactlyElementsOf(
                        group.rows().stream().map(CsvOrderRow::values).toList());
        assertThat(problems).isEmpty();
    }

    @Test
    void aReleasedPayloadMustBeOneOrdersRowsUnderTheTemplate() {
        String two = CsvOrderProcessor.asFile(new OrderGroup("1001", List.of(row(3, "x", "A", "1", "1")), 0))
                + "1002,x,,,,,,,,,,A,1,1,EUR,paid\r\n";
        assertThatThrownBy(() -> CsvOrderProcessor.parseOne(two, new ArrayList<>()))
                .hasMessageContaining("exactly one order_id");
        assertThatThrownBy(() -> CsvOrderProcessor.parseOne("order_id,placed_at\r\n", new ArrayList<>()))
                .hasMessageContaining("expected 'orders-v1'");
        assertThatThrownBy(() -> CsvOrderProcessor.parseOne("", new ArrayList<>())).hasMessageContaining("empty");
    }
}
