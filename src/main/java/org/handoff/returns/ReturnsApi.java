package org.handoff.returns;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.handoff.api.HttpReplies;
import org.handoff.api.Json;
import org.handoff.holds.HoldsApi;

/** GET /api/returns/{rma} and POST /api/returns/{rma}/decision {decision: RESTOCK|SCRAP, actor, note}. */
public final class ReturnsApi {

    private final ReturnsService returns;

    public ReturnsApi(ReturnsService returns) {
        this.returns = returns;
    }

    public void get(Exchange exchange) {
        HttpReplies.json(exchange, 200, returns.view(exchange.getMessage().getHeader("rma", String.class)));
    }

    public void decide(Exchange exchange) {
        JsonNode body = Json.readRequest(exchange.getMessage().getBody(String.class));
        String rma = exchange.getMessage().getHeader("rma", String.class);
        String decision = HoldsApi.requiredText(body, "decision");
        // actor and note as return_history stores them: longer is a 400 before anything is decided, not a 500
        String actor = HoldsApi.actor(body);
        HttpReplies.json(exchange, 200, returns.decide(rma, decision, actor, HoldsApi.note(body)));
    }
}
