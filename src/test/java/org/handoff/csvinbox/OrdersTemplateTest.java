package org.handoff.csvinbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OrdersTemplateTest {

    @Test
    void theCurrentTemplateLineIsAccepted() {
        assertThat(OrdersTemplate.templateProblem("# template: orders-v1")).isNull();
        assertThat(OrdersTemplate.templateProblem("\uFEFF#template:orders-v1  ")).isNull();
    }

    @Test
    void aTemplateLineASpreadsheetPaddedOrQuotedIsAccepted() {
        // Excel pads every line to the widest row when it saves the file again; some exports quote every text cell
        assertThat(OrdersTemplate.templateProblem("# template: orders-v1" + ",".repeat(15))).isNull();
        assertThat(OrdersTemplate.templateProblem("\uFEFF\"# template: orders-v1\",,,")).isNull();
        assertThat(OrdersTemplate.templateProblem("# template: orders-v2,,,")).contains("found 'orders-v2'");
        assertThat(OrdersTemplate.templateProblem("# template: orders-v1,x")).contains("found 'orders-v1,x'");
    }

    @Test
    void aTemplateLinePaddedWithAnotherSeparatorSaysSo() {
        assertThat(OrdersTemplate.templateProblem("# template: orders-v1" + ";".repeat(15)))
                .contains("found 'orders-v1;;;").contains("separated by ';', not commas");
        // tabs are white space at the end of the line: the template line is fine, the header then says it
        assertThat(OrdersTemplate.templateProblem("# template: orders-v1\t\t")).isNull();
        assertThat(OrdersTemplate.templateProblem("# template: orders-v2;;;")).doesNotContain("separated");
    }

    @Test
    void anotherVersionNamesExpectedAndFound() {
        assertThat(OrdersTemplate.templateProblem("# template: orders-v2"))
                .contains("expected 'orders-v1'").contains("found 'orders-v2'");
    }

    @Test
    void aMissingTemplateLineSaysWhatCameInstead() {
        assertThat(OrdersTemplate.templateProblem("order_id,placed_at,email"))
                .contains("expected 'orders-v1'").contains("no template line (the file starts with the header)");
        assertThat(OrdersTemplate.templateProblem("1001,2026-11-22T03:00:00Z,a@example.com"))
                .contains("no template line").doesNotContain("example.com");
        assertThat(OrdersTemplate.templateProblem(null)).contains("no template line");
    }

    @Test
    void orderColumnsAreTheHeaderWithoutTheLineColumns() {
        assertThat(OrdersTemplate.HEADER).hasSize(16);
        assertThat(OrdersTemplate.ORDER_COLUMNS).hasSize(13).doesNotContain("sku", "quantity", "unit_price");
    }
}
