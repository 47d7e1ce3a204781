package org.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutboundHttpTest {

    @Test
    void theEndpointAlwaysHasTimeoutsAndTheUrlsOwnQueryIsKeptForTheRequest() {
        OutboundHttp.Endpoint plain = OutboundHttp.endpoint("https://wms.test/orders", 2500);
        assertThat(plain.uri()).isEqualTo("https://wms.test/orders?connectTimeout=2500&responseTimeout=2500"
                + "&connectionRequestTimeout=2500");
        assertThat(plain.query()).isNull();

        OutboundHttp.Endpoint withQuery = OutboundHttp.endpoint("https://shop.test/ats?location=5&v=2", 100,
                "headerFilterStrategy=#atsHeaderFilter");
        assertThat(withQuery.uri()).isEqualTo("https://shop.test/ats?connectTimeout=100&responseTimeout=100"
                + "&connectionRequestTimeout=100&headerFilterStrategy=#atsHeaderFilter");
        assertThat(withQuery.query()).isEqualTo("location=5&v=2");

        assertThat(OutboundHttp.endpoint("https://shop.test/ats?", 100).query()).isNull();
    }
}
