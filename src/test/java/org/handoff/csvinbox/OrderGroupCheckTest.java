package org.handoff.csvinbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderGroupCheckTest {

    private final OrderGroupCheck check = new OrderGroupCheck(100);

    private static CsvOrderRow row(long n, String city, String sku, String quantity, String price) {
        List<String> v = new ArrayList<>(List.of("1001", "2026-11-22T03:00:00Z", "a@example.com", "Ann Lee",
                "1 Main St", "", city, "10115", "DE", "+4930123", "dhl-express", sku, quantity, price, "EUR", "paid"));
        return new CsvOrderRow(n, v);
    }

    @Test
    void rowsThatAgreeMakeAnOrder() {
        assertThat(check.problems(new OrderGroup("1001", List.of(row(3, "Berlin", "A", "1", "9.90"),
                row(8, " Berlin ", "B", "2", "")), 0))).isEmpty();
    }

    @Test
    void aDisagreementOnAnOrderColumnNamesTheColumnAndTheRows() {
        List<String> problems = check.problems(new OrderGroup("1001", List.of(row(3, "Berlin", "A", "1", "9.90"),
                row(5, "Berlin", "C", "1", "1"), row(8, "Munich", "B", "2", "1.00")), 0));
        assertThat(problems).singleElement().asString()
                .contains("ship_city").contains("'Berlin' (rows 3, 5)").contains("'Munich' (row 8)");
    }

    @Test
    void rowsThatDifferOnlyInTheCaseOfAColumnTheOrderKeepsInOneCaseAgree() {
        CsvOrderRow upper = row(3, "Berlin", "A", "1", "9.90");
        List<String> lower = new ArrayList<>(row(4, "Berlin", "B", "1", "9.90").values());
        lower.set(OrdersTemplate.column("ship_country"), "de");
        lower.set(OrdersTemplate.column("currency"), "eur");
        lower.set(OrdersTemplate.column("financial_status"), "PAID");
        assertThat(check.problems(new OrderGroup("1001", List.of(upper, new CsvOrderRow(4, lower)), 0))).isEmpty();
        // a name is kept as written: a different case there is still a disagreement
        List<String> name = new ArrayList<>(upper.values());
        name.set(OrdersTemplate.column("ship_name"), "ann lee");
        assertThat(check.problems(new OrderGroup("1001", List.of(upper, new CsvOrderRow(5, name)), 0)))
                .singleElement().asString().contains("ship_name").contains("'Ann Lee' (row 3)").contains("'ann lee' (row 5)");
    }

    @Test
    void anOrderIdASpreadsheetTurnedIntoScientificNotationIsRefused() {
        List<String> v = new ArrayList<>(row(3, "Berlin", "A", "1", "9.90").values());
        v.set(0, "5.81004E+12");
        assertThat(check.problems(new OrderGroup("5.81004E+12", List.of(new CsvOrderRow(3, v)), 0)))
                .singleElement().asString().contains("'5.81004E+12' is a number in scientific notation").contains("rows 3");
        v.set(0, "5810038866101");
        assertThat(check.problems(new OrderGroup("5810038866101", List.of(new CsvOrderRow(3, v)), 0))).isEmpty();
    }

    @Test
    void aPhoneOrAVariantIdASpreadsheetTurnedIntoScientificNotationIsRefused() {
        List<String> v = new ArrayList<>(row(3, "Berlin", "4.40123E+13", "1", "9.90").values());
        v.set(OrdersTemplate.column("ship_phone"), "4.94041E+11");
        List<String> problems = check.problems(new OrderGroup("1001", List.of(new CsvOrderRow(3, v)), 0));
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).contains("ship_phone '4.94041E+11' is a number in scientific notation")
                .contains("rows 3");
        assertThat(problems.get(1)).startsWith("row 3: sku '4.40123E+13' is a number in scientific notation");
    }

    @Test
    void badQuantitiesAndPricesNameTheirRow() {
        List<String> problems = check.problems(new OrderGroup("1001", List.of(row(3, "Berlin", "A", "0", "9.90"),
                row(4, "Berlin", "B", "two", "x"), row(5, "Berlin", "C", "1", "-1"), row(6, "Berlin", "D", "2000000000", "1"),
                row(7, "Berlin", "E", "1000000", "1")), 0));
        assertThat(problems).hasSize(4);
        assertThat(problems.get(3)).isEqualTo("row 6: quantity '2000000000' is not a whole number from 1 to 1000000");
        assertThat(problems.get(0)).startsWith("row 3: quantity '0'");
        assertThat(problems.get(1)).startsWith("row 4: quantity 'two'").contains("unit_price 'x'");
        assertThat(problems.get(2)).startsWith("row 5: unit_price '-1'");
    }

    @Test
    void aPriceWithMoreDecimalsThanItsCurrencyOrInExponentNotationNamesTheColumnAndRow() {
        List<String> problems = check.problems(new OrderGroup("1001", List.of(row(3, "Berlin", "A", "1", "12.345"),
                row(4, "Berlin", "B", "1", "1e3"), row(5, "Berlin", "C", "1", "12.340")), 0));
        assertThat(problems).containsExactly(
                "row 3: unit_price '12.345' has 3 decimals; EUR has 2 (a price is not rounded for it: write it as the "
                        + "storefront charged it)",
                "row 4: unit_price '1e3' is in exponent notation (as a spreadsheet writes a number it has reformatted): "
                        + "write the amount in plain digits");
    }

    @Test
    void anOversizedOrderIsRefusedWhole() {
        assertThat(new OrderGroupCheck(1).problems(new OrderGroup("1001", List.of(row(3, "B", "A", "1", "1")), 4)))
                .singleElement().asString().contains("has 5 rows").contains("at most 1");
    }
}
