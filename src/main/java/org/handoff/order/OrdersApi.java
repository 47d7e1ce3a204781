package org.handoff.order;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.camel.Exchange;
import org.handoff.api.ApiException;
import org.handoff.api.HttpReplies;
import org.handoff.api.Json;
import org.handoff.holds.HoldsApi;

/** HTTP side of the Orders API (DESIGN §4): parameters in, JSON out. */
public final class OrdersApi {

    private final OrderStore store;
    private final OrderPipeline pipeline;

    public OrdersApi(OrderStore store, OrderPipeline pipeline) {
        this.store = store;
        this.pipeline = pipeline;
    }

    /** GET /api/orders/{orderId}: the order with lines, ship-to, state and full history. */
    public void get(Exchange exchange) {
        String orderId = exchange.getMessage().getHeader("orderId", String.class);
        Order order = store.find(orderId).orElseThrow(() -> ApiException.notFound("order " + orderId));
        HttpReplies.json(exchange, 200, OrderView.full(order));
    }

    /** GET /api/orders?channel=C&externalId=X (one order) or ?state=S (a list). */
    public void find(Exchange exchange) {
        String channel = HoldsApi.param(exchange, "channel");
        String externalId = HoldsApi.param(exchange, "externalId");
        String state = HoldsApi.param(exchange, "state");
        if (channel != null && externalId != null) {
            Order order = store.findByExternal(channel, externalId)
                    .orElseThrow(() -> ApiException.notFound(channel + " order " + externalId));
            HttpReplies.json(exchange, 200, OrderView.full(order));
        } else if (state != null) {
            OrderState s;
            try {
                s = OrderState.valueOf(state.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("unknown state " + state);
            }
            int limit = HoldsApi.intParam(exchange, "limit", 500);
            var list = store.listByState(s, limit).stream().map(OrderView::summary).toList();
            HttpReplies.json(exchange, 200, Map.of("orders", list));
        } else {
            throw ApiException.badRequest("give channel and externalId, or state");
        }
    }

    /** POST /api/orders/{orderId}/events {type, evidence, actor}: 409 ILLEGAL_TRANSITION with the current state. */
    public void event(Exchange exchange) {
        String orderId = exchange.getMessage().getHeader("orderId", String.class);
        JsonNode body = Json.readRequest(exchange.getMessage().getBody(String.class));
        String type = HoldsApi.requiredText(body, "type");
        String actor = HoldsApi.actor(body);
        OrderEvent event;
        try {
            event = OrderEvent.valueOf(type.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("unknown event type " + type);
        }
        if (event == OrderEvent.ACCEPT || event == OrderEvent.HOLD || event == OrderEvent.STALE_UPDATE
                || event == OrderEvent.ADDRESS_CHANGED || event == OrderEvent.LINES_CHANGED) {
            throw ApiException.badRequest(type + " is decided by the hub, not posted");
        }
        JsonNode evidenceNode = body.get("evidence");
        if (evidenceNode != null && !evidenceNode.isNull() && !evidenceNode.isObject()) {
            throw ApiException.badRequest("'evidence' must be an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> evidence = evidenceNode == null || evidenceNode.isNull() ? Map.of()
                : Json.MAPPER.convertValue(evidenceNode, LinkedHashMap.class);
        try {
            Order after = pipeline.applyEvent(orderId, event, evidence, actor, null);
            HttpReplies.json(exchange, 200, OrderView.full(after));
        } catch (NoSuchElementException e) {
            throw ApiException.notFound("order " + orderId);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        } catch (IllegalTransitionException e) {
            Map<String, Object> answer = HttpReplies.error("ILLEGAL_TRANSITION", e.getMessage());
            answer.put("state", e.current().name());
            e.details().forEach(answer::putIfAbsent);
            HttpReplies.json(exchange, 409, answer);
        }
    }
}
