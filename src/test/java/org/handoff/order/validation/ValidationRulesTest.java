package org.handoff.order.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.handoff.order.CanonicalOrder;
import org.handoff.order.OrderMappings;
import org.handoff.order.ShipTo;
import org.junit.jupiter.api.Test;

class ValidationRulesTest {

    static final Instant NOW = Instant.parse("2026-11-22T03:00:00Z");
    static final ShipTo GOOD = new ShipTo("Zoë Müller", "Hauptstraße 1", null, "Berlin", "10115", "DE", null);

    static CanonicalOrder order(ShipTo to, String method, Instant placedAt, String placedText,
            CanonicalOrder.Line... lines) {
        return new CanonicalOrder("shopify", "1001", placedAt, placedText, null, "EUR", "z@example.com",
                List.of(lines), to, method, "paid", false);
    }

    static CanonicalOrder order(ShipTo to) {
        return order(to, "standard", NOW, null, new CanonicalOrder.Line("SKU-1", null, 1, BigDecimal.TEN));
    }

    static ValidationContext context(OrderMappings mappings, CanonicalOrder o) {
        return new ValidationContext(NOW, Duration.ofMinutes(5), mappings,
                SkuResolver.checkCatalog(new SkuResolver(mappings).mapCodes(o, NOW), Set.of("SKU-1", "SKU-NEW")));
    }

    static final OrderMappings MAPPINGS = new OrderMappings() {
        @Override
        public Optional<String> channelSku(String channel, String code) {
            return Optional.ofNullable(Map.of("V-42", "SKU-1", "CH-1", "SKU-1").get(code));
        }

        @Override
        public Resolution resolveSku(String code, Instant at) {
            return code.equals("SKU-OLD") ? new Resolution(code, false, "alias window closed") : new Resolution(code, true, null);
        }

        @Override
        public boolean phoneMandatory(String method) {
            return "express".equals(method);
        }
    };

    @Test
    void aCompleteOrderPassesEveryRule() {
        CanonicalOrder o = order(GOOD);
        assertThat(new OrderValidator().validate(o, context(MAPPINGS, o))).isEmpty();
    }

    @Test
    void addressRuleNamesWhatIsMissing() {
        CanonicalOrder o = order(new ShipTo("A", " ", null, null, "10115", "DE", null));
        assertThat(new AddressCompleteRule().check(o, context(MAPPINGS, o)))
                .singleElement().satisfies(v -> {
                    assertThat(v.reasonCode()).isEqualTo("MISSING_ADDRESS");
                    assertThat(v.detail()).contains("address1", "city");
                });
    }

    @Test
    void postcodeFormatsPerCountry() {
        PostcodeRule rule = new PostcodeRule();
        for (String[] ok : new String[][] {{"US", "94103"}, {"US", "94103-1234"}, {"CA", "K1A 0B1"}, {"GB", "SW1A 1AA"},
                {"DE", "10115"}, {"FR", "75008"}, {"NL", "1012 AB"}, {"AU", "2000"}}) {
            CanonicalOrder o = order(new ShipTo("n", "a", null, "c", ok[1], ok[0], null));
            assertThat(rule.check(o, context(MAPPINGS, o))).as(ok[0] + " " + ok[1]).isEmpty();
        }
        for (String[] bad : new String[][] {{"US", "9410"}, {"CA", "12345"}, {"GB", "12345"}, {"DE", "1011"},
                {"FR", "7500A"}, {"NL", "0123 AB"}, {"AU", "20000"}}) {
            CanonicalOrder o = order(new ShipTo("n", "a", null, "c", bad[1], bad[0], null));
            assertThat(rule.check(o, context(MAPPINGS, o))).as(bad[0] + " " + bad[1])
                    .singleElement().extracting(Violation::reasonCode).isEqualTo("INVALID_POSTCODE");
        }
    }

    @Test
    void carrierPhoneOnlyWhereTheCarrierNeedsIt() {
        CanonicalOrder express = order(GOOD, "express", NOW, null, new CanonicalOrder.Line("SKU-1", null, 1, null));
        assertThat(new CarrierPhoneRule().check(express, context(MAPPINGS, express)))
                .singleElement().extracting(Violation::reasonCode).isEqualTo("MISSING_CARRIER_PHONE");
        CanonicalOrder standard = order(GOOD);
        assertThat(new CarrierPhoneRule().check(standard, context(MAPPINGS, standard))).isEmpty();
    }

    @Test
    void timestampsMustParseAndNotLieInTheFuture() {
        CanonicalOrder unparsable = order(GOOD, "standard", null, "yesterday", new CanonicalOrder.Line("SKU-1", null, 1, null));
        assertThat(new TimestampRule().check(unparsable, context(MAPPINGS, unparsable)))
                .singleElement().satisfies(v -> assertThat(v.detail()).contains("yesterday"));
        CanonicalOrder future = order(GOOD, "standard", NOW.plus(Duration.ofHours(1)), null,
                new CanonicalOrder.Line("SKU-1", null, 1, null));
        assertThat(new TimestampRule().check(future, context(MAPPINGS, future))).hasSize(1);
        CanonicalOrder skewed = order(GOOD, "standard", NOW.plus(Duration.ofMinutes(2)), null,
                new CanonicalOrder.Line("SKU-1", null, 1, null));
        assertThat(new TimestampRule().check(skewed, context(MAPPINGS, skewed))).isEmpty();
    }

    @Test
    void skusResolveThroughChannelMappingAliasesAndCatalog() {
        CanonicalOrder o = order(GOOD, "standard", NOW, null,
                new CanonicalOrder.Line("CH-1", null, 1, null),      // channel SKU mapped to SKU-1
                new CanonicalOrder.Line(null, "V-42", 1, null),      // variant id mapped to SKU-1
                new CanonicalOrder.Line(null, "V-99", 1, null),      // variant id not mapped
                new CanonicalOrder.Line("SKU-OLD", null, 1, null),   // alias window closed
                new CanonicalOrder.Line("SKU-GONE", null, 1, null)); // not in the catalog
        List<Violation> v = new SkuResolutionRule().check(o, context(MAPPINGS, o));
        assertThat(v).extracting(Violation::reasonCode)
                .containsExactly("UNMAPPED_VARIANT", "UNKNOWN_SKU", "UNKNOWN_SKU");
        assertThat(v.get(2).detail()).contains("SKU-GONE");
    }

    @Test
    void allFailingRulesAreReportedTogether() {
        CanonicalOrder o = order(new ShipTo("n", null, null, "c", "ABC", "DE", null), "express", null, "",
                new CanonicalOrder.Line("SKU-GONE", null, 1, null));
        assertThat(new OrderValidator().validate(o, context(MAPPINGS, o))).extracting(Violation::reasonCode)
                .containsExactly("UNKNOWN_SKU", "MISSING_ADDRESS", "INVALID_POSTCODE", "MISSING_CARRIER_PHONE",
                        "INVALID_TIMESTAMP");
    }

    @Test
    void theCurrencyMustBeAnIsoCode() {
        CurrencyRule rule = new CurrencyRule();
        for (String good : new String[] {"EUR", "GBP", "USD", "JPY", "KWD"}) {
            CanonicalOrder o = new CanonicalOrder("shopify", "1001", NOW, null, null, good, "z@example.com",
                    List.of(new CanonicalOrder.Line("SKU-1", null, 1, BigDecimal.TEN)), GOOD, "standard", "paid", false);
            assertThat(rule.check(o, context(MAPPINGS, o))).as(good).isEmpty();
        }
        for (String bad : new String[] {null, "", " ", "EURO", "EU", "€", "XYZ", "eur", "E1R"}) {
            CanonicalOrder o = new CanonicalOrder("shopify", "1001", NOW, null, null, bad, "z@example.com",
                    List.of(new CanonicalOrder.Line("SKU-1", null, 1, BigDecimal.TEN)), GOOD, "standard", "paid", false);
            assertThat(rule.check(o, context(MAPPINGS, o))).as(String.valueOf(bad))
                    .extracting(Violation::reasonCode).containsExactly("INVALID_CURRENCY");
        }
    }
}
