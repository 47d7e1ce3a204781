package org.handoff.lifecycle;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.handoff.HandoffMetrics;
import org.handoff.Headers;
import org.handoff.api.ApiException;
import org.handoff.api.HttpReplies;
import org.handoff.security.EasyPostSignature;
import org.handoff.webhook.RawFormBodies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP edge of {@code POST /webhooks/carrier/easypost}: size limit (413) and signature (401, nothing
 * stored) before anything is parsed, and the answer DESIGN §3 names once the event is committed.
 */
public final class CarrierWebhook {

    private static final Logger LOG = LoggerFactory.getLogger(CarrierWebhook.class);

    private final EasyPostSignature signature;
    private final HandoffMetrics metrics;
    private final long maxBodyBytes;

    public CarrierWebhook(EasyPostSignature signature, HandoffMetrics metrics, long maxBodyBytes) {
        this.signature = signature;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Checks the exact bytes received; the body stays those bytes for the next step. */
    public void verify(Exchange exchange) {
        String declared = exchange.getMessage().getHeader("Content-Length", String.class);
        if (declared != null && declared.trim().matches("\\d{1,18}") && Long.parseLong(declared.trim()) > maxBodyBytes) {
            throw new ApiException(413, "PAYLOAD_TOO_LARGE", "the body is larger than " + maxBodyBytes + " bytes");
        }
        byte[] body = RawFormBodies.of(exchange).orElse(null);
        if (body == null) {
            body = exchange.getMessage().getBody(byte[].class);
        }
        if (body == null) {
            body = new byte[0];
        }
        if (body.length > maxBodyBytes) {
            throw new ApiException(413, "PAYLOAD_TOO_LARGE", "the body is larger than " + maxBodyBytes + " bytes");
        }
        String header = exchange.getMessage().getHeader(EasyPostSignature.HEADER, String.class);
        if (!signature.verify(body, header)) {
            metrics.signatureRejected(CarrierCustody.SOURCE);
            LOG.warn("carrier webhook refused (401): {} signature{}", header == null ? "missing" : "invalid",
                    signature.configured() ? "" : " — CARRIER_WEBHOOK_SECRET is not set");
            throw new ApiException(401, "INVALID_SIGNATURE", "missing or invalid " + EasyPostSignature.HEADER);
        }
        // only the verified bytes go on; request headers (signature included) are not kept anywhere
        exchange.getMessage().getHeaders().keySet().removeIf(name -> !name.startsWith("Camel"));
        exchange.getMessage().setHeader(Headers.SOURCE, CarrierCustody.SOURCE);
        exchange.getMessage().setHeader(Headers.SUBJECT, "carrier webhook delivery");
        exchange.getMessage().setBody(body);
    }

    /** {@code {"result": ..., "orderId": ..., "holdId": ...}}, always 200 once the event is durable. */
    public void answer(Exchange exchange) {
        Map<String, Object> answer = new LinkedHashMap<>();
        String result = exchange.getMessage().getHeader(Headers.OUTCOME, "accepted", String.class);
        metrics.delivery(CarrierCustody.SOURCE, result);
        answer.put("result", result);
        // as the storefront webhooks answer: a field with nothing to name is left out, not sent as null
        String orderId = exchange.getMessage().getHeader(Headers.ORDER_ID, String.class);
        if (orderId != null) {
            answer.put("orderId", orderId);
        }
        Long holdId = exchange.getMessage().getHeader(Headers.HOLD_ID, Long.class);
        if (holdId != null) {
            answer.put("holdId", holdId);
        }
        exchange.getMessage().removeHeaders("Handoff*");
        HttpReplies.json(exchange, 200, answer);
    }
}
