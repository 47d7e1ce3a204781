package org.handoff.lifecycle;

import java.time.Duration;
import org.handoff.security.OutboundAuth;
import org.handoff.HandoffConfig;
import org.handoff.Wiring;
import org.handoff.files.FileIntake;
import org.handoff.holds.HoldStore;
import org.handoff.mapping.Mappings;
import org.handoff.order.OrderPipeline;
import org.handoff.order.OrderStore;
import org.handoff.security.EasyPostSignature;
import org.slf4j.LoggerFactory;

/**
 * Wires the order lifecycle (issue 6): pick tickets and cancels out to the WMS, carrier custody in from
 * EasyPost, silence detection, and the listeners that tie them to the order's history in one transaction.
 */
public final class LifecycleModule {

    private LifecycleModule() {}

    /** handoff.wms.auth-header: the header HANDOFF_WMS_AUTH goes in (checked at start: a typo fails the start). */
    private static String wmsAuthHeader(HandoffConfig cfg) {
        String header = cfg.get("handoff.wms.auth-header", "Authorization").trim();
        if (!OutboundAuth.isHeaderName(header)) {
            throw new IllegalArgumentException("handoff.wms.auth-header must be an HTTP header name");
        }
        return header;
    }

    public static void wire(Wiring w) {
        HandoffConfig cfg = w.config();
        HoldStore holds = w.get(HoldStore.class);
        OrderStore orders = w.get(OrderStore.class);
        OrderPipeline pipeline = w.get(OrderPipeline.class);

        Shipments shipments = w.add(new Shipments(cfg.getDuration("handoff.carrier.clock-tolerance")));
        CarrierEventLog events = w.add(new CarrierEventLog());
        CarrierCustody custody = w.bind("carrierCustody", new CarrierCustody(w.jdbc(), events, shipments, orders,
                pipeline, holds, w.metrics(), w.clock()));
        EasyPostSignature signature = new EasyPostSignature(w.env().get("CARRIER_WEBHOOK_SECRET"));
        if (!signature.configured()) {
            LoggerFactory.getLogger(LifecycleModule.class).warn("CARRIER_WEBHOOK_SECRET is not set: every delivery to "
                    + "/webhooks/carrier/easypost is refused with 401");
        }
        w.bind("carrierWebhook", new CarrierWebhook(signature, w.metrics(), cfg.getLong("handoff.webhook.max-body-bytes")));
        w.bind("silenceDetector", new SilenceDetector(w.jdbc(), shipments, orders, holds, w.get(Mappings.class),
                w.clock(), cfg.getDuration("handoff.carrier.default-silence-cutoff")));

        WmsOutbox outbox = w.bind("wmsOutbox", new WmsOutbox(w.jdbc(), holds, w.clock(), cfg.get("handoff.wms.url", ""),
                cfg.getInt("handoff.wms.timeout-ms"), cfg.getDuration("handoff.wms.claim-timeout"), cfg.getInt("handoff.wms.round-size"),
                // keeping up: a full round's oldest message queued within two poll delays
                Duration.ofMillis(2L * cfg.getInt("handoff.wms.poll-delay-ms")), cfg.dataDir().resolve("outbox").resolve("wms"),
                w.get(OutboundAuth.class).wms(wmsAuthHeader(cfg)).orElse(null),
                cfg.getDuration("handoff.wms.unreachable-pause")));

        w.get(FileIntake.class).register(new DispatchFileHandler(pipeline, orders, w.clock(),
                cfg.getDuration("handoff.webhook.max-clock-skew")).kind());

        orders.onHistory(new ShipmentRecorder(shipments, custody, w.clock()));
        orders.onHistory(new CustodyRecorded(shipments, custody));
        orders.onHistory(new WmsExport(outbox));
    }
}
