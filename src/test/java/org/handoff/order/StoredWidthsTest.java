package org.handoff.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoredWidthsTest {

    private static CanonicalOrder order(String externalId, ShipTo to, String lineCode) {
        return new CanonicalOrder("shopify", externalId, null, null, null, "EUR", "a@example.com",
                List.of(new CanonicalOrder.Line(lineCode, null, 1, BigDecimal.ONE)), to, "standard", "paid", false);
    }

    private static final ShipTo TO = new ShipTo("Ada", "Street 1", null, "Berlin", "10963", "DE", "+49 30 1");

    @Test
    void anOrderThatFitsHasNothingToSay() {
        assertThat(StoredWidths.unstorable(order("1001", TO, "MUG-WHITE"))).isEmpty();
    }

    @Test
    void theWidthItselfFitsAndOneMoreCharacterDoesNot() {
        assertThat(StoredWidths.unstorable(order("1".repeat(200), TO, "c".repeat(200)))).isEmpty();
        assertThat(StoredWidths.unstorable(order("1".repeat(201), TO, "c".repeat(201))))
                .containsExactly("order id is 201 characters long; at most 200 are stored",
                        "line 1 SKU is 201 characters long; at most 200 are stored");
    }

    @Test
    void everyOverlongFieldIsNamedWithoutQuotingItsValue() {
        ShipTo to = new ShipTo("N".repeat(401), "A".repeat(401), null, "Berlin", "P".repeat(41), "DE", "9".repeat(65));
        List<String> problems = StoredWidths.unstorable(order("1001", to, "MUG-WHITE"));
        assertThat(problems).hasSize(4);
        assertThat(String.join(" ", problems)).contains("ship-to name", "address line 1", "postcode", "phone")
                .doesNotContain("NNN", "AAA", "PPP", "999");
    }

    @Test
    void aNulCharacterCannotBeStoredAndIsNamedWithoutTheValue() {
        ShipTo to = new ShipTo("Zo\u00eb\u0000 M", "Street 1", null, "Berlin", "10963", "DE", "+49 30 1");
        assertThat(StoredWidths.unstorable(order("1001", to, "MUG-WHITE")))
                .containsExactly("ship-to name contains a NUL character (U+0000), which cannot be stored");
    }
}
