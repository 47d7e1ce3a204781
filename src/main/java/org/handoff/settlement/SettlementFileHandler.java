package org.handoff.settlement;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.handoff.files.FileContext;
import org.handoff.files.FileKind;
import org.handoff.files.FileRejected;
import org.handoff.files.FileRow;
import org.handoff.files.RowBatch;
import org.handoff.files.RowHandler;
import org.handoff.files.RowRejected;
import org.handoff.files.RowValues;
import org.handoff.order.Order;
import org.handoff.order.StoredWidths;

/**
 * {@code settlement_<channel>_<ts>.csv} from the payment provider: {@code payout_id,order_external_id,
 * type,amount,currency,paid_at}. A file's rows for the same payout, order and type add up to one stored line
 * (a second charge is a second capture, not a copy); a later file replaces that line. The orders it stores lines for
 * are reconciled once the file's lines are in: at its end, or where it stops part-way (never on part of a file still
 * being applied). A line for an order the hub does not know (yet) is held SETTLEMENT_MISMATCH and recorded on release,
 * once the order has arrived.
 */
public final class SettlementFileHandler implements RowHandler<SettlementStore.Line> {

    public static final List<String> HEADER = List.of("payout_id", "order_external_id", "type", "amount", "currency",
            "paid_at");
    private static final Pattern AMOUNT = Pattern.compile("[+-]?\\d{1,15}(\\.\\d{1,4})?");
    private static final Pattern CURRENCY = Pattern.compile("[A-Za-z]{3}");

    private final SettlementStore store;
    private final SettlementService service;
    private final Clock clock;

    public SettlementFileHandler(SettlementStore store, SettlementService service, Clock clock) {
        this.store = store;
        this.service = service;
        this.clock = clock;
    }

    public FileKind kind() {
        return new FileKind("settlements", Pattern.compile("settlement_(?<channel>[A-Za-z0-9-]+)_" + FileKind.TS + "\\.csv"),
                "settlement_<channel>_<ts>.csv", HEADER, this);
    }

    /** settlement_lines.channel (V5): a longer channel in the file name is that file's BAD_FILE_NAME, not a failure. */
    @Override
    public void begin(FileContext file, Connection c) {
        String problem = StoredWidths.unstorable("channel", file.part("channel"), 64);
        if (problem != null) {
            throw new FileRejected("BAD_FILE_NAME", "the file name's " + problem);
        }
    }

    @Override
    public SettlementStore.Line parse(FileRow row, FileContext file) {
        // V5 stores payout_id in 100 characters, order_external_id in 200: longer is this row's BAD_ROW
        String unstorable = java.util.stream.Stream.of(StoredWidths.unstorable("payout_id", row.get("payout_id"), 100),
                StoredWidths.unstorable("order_external_id", row.get("order_external_id"), 200))
                .filter(java.util.Objects::nonNull).collect(java.util.stream.Collectors.joining("; "));
        if (!unstorable.isEmpty()) {
            throw RowRejected.badRow("row " + row.row() + ": " + unstorable);
        }
        String payout = RowValues.required(row, "payout_id");
        String external = RowValues.required(row, "order_external_id");
        String typeText = RowValues.required(row, "type");
        SettlementType type = SettlementType.parse(typeText).orElseThrow(() -> RowRejected.badRow("row " + row.row()
                + ": type '" + typeText + "' is not one of charge, refund, adjustment, fee"));
        String amountText = RowValues.required(row, "amount");
        if (!AMOUNT.matcher(amountText).matches()) {
            throw RowRejected.badRow("row " + row.row() + ": amount '" + amountText + "' is not a decimal amount");
        }
        if (type == SettlementType.CHARGE && amountText.startsWith("-")) {
            // a negative charge contradicts itself: refund or adjustment? A person decides.
            throw RowRejected.badRow("row " + row.row() + ": a charge of " + amountText
                    + " is negative; send it as a refund or an adjustment");
        }
        String currency = RowValues.required(row, "currency");
        if (!CURRENCY.matcher(currency).matches()) {
            throw RowRejected.badRow("row " + row.row() + ": currency '" + currency + "' is not an ISO 4217 code");
        }
        return new SettlementStore.Line(payout, file.part("channel").toLowerCase(Locale.ROOT), external, type,
                new BigDecimal(amountText), currency.toUpperCase(Locale.ROOT), RowValues.instant(row, "paid_at"));
    }

    /** This file's lines so far, by payout, order and type: what its earlier rows for them added up to (after commit). */
    private static final class FileLines {
        final Map<String, SettlementStore.Line> applied = new HashMap<>();
    }

    @Override
    public void apply(RowBatch<SettlementStore.Line> batch, Connection c) throws SQLException {
        Map<String, Order> touched = new LinkedHashMap<>(); // a released row's order
        // a replayed row has no file run to add up in: it adds to what its own file stored (SettlementStore#add)
        FileLines file = batch.file().isReplay() ? null : batch.file().state(FileLines.class, FileLines::new);
        Map<String, SettlementStore.Line> thisBatch = new HashMap<>();
        for (RowBatch.Parsed<SettlementStore.Line> p : batch.rows()) {
            SettlementStore.Line line = p.value();
            Optional<Order> order = service.order(c, line.channel(), line.orderExternalId());
            if (order.isEmpty()) {
                batch.hold(p, SettlementService.SETTLEMENT_MISMATCH, "row " + p.row().row() + ": payout "
                        + line.payoutId() + " pays for " + line.channel() + " order " + line.orderExternalId()
                        + ", which the hub does not know; release once the order has arrived");
                continue;
            }
            if (file == null) {
                Optional<String> refused = store.add(c, line, batch.file().name(), p.row().row(), clock.instant());
                if (refused.isPresent()) {
                    batch.hold(p, "BAD_ROW", "row " + p.row().row() + ": " + refused.get());
                    continue;
                }
            } else {
                // rows of one file for the same payout, order and type add up (a double capture counts twice):
                // the stored line is this file's sum so far, so the file applied again after a crash sums afresh
                String key = line.payoutId() + '\u0000' + line.orderExternalId() + '\u0000' + line.type();
                SettlementStore.Line sum = thisBatch.containsKey(key) ? thisBatch.get(key) : file.applied.get(key);
                if (sum != null && !sum.currency().equals(line.currency())) {
                    batch.hold(p, "BAD_ROW", "row " + p.row().row() + ": payout " + line.payoutId() + " already has a "
                            + line.type().name().toLowerCase(Locale.ROOT) + " in " + sum.currency() + " for order "
                            + line.orderExternalId() + " in this file; one in " + line.currency() + " cannot add to it");
                    continue;
                }
                sum = sum == null ? line : sum.plus(line);
                if (sum.unstorable() != null) {
                    batch.hold(p, "BAD_ROW", "row " + p.row().row() + ": " + sum.unstorable());
                    continue;
                }
                store.record(c, sum, batch.file().name(), p.row().row(), clock.instant());
                thisBatch.put(key, sum);
            }
            touched.putIfAbsent(order.get().orderId(), order.get());
        }
        if (file != null) {
            if (!thisBatch.isEmpty()) {
                batch.file().afterCommit(() -> file.applied.putAll(thisBatch));
            }
            // with the lines, durably: this file reconciles these orders once its lines are in (end, or stopped when
            // it breaks off), and until then a delivery does not close them on part of the file
            for (Order order : touched.values()) {
                store.pending(c, batch.file().receiptId(), order.channel(), order.externalId());
            }
        } else {
            // a released row is all there is to apply: reconcile now (a replay has no end)
            for (Order order : touched.values()) {
                service.reconcile(c, order);
            }
        }
    }

    /**
     * Reconciles the orders the file stored lines for once, with all its rows in: per batch, an order whose charge
     * falls in one batch and its refund in the next "reconciled" on the first and closed. The orders are the file's
     * marks (V77), which also hold those an earlier attempt of this receipt stored for (a crash, taken over).
     */
    @Override
    public void end(FileContext file, Connection c) throws SQLException {
        reconcileMarked(file, c);
    }

    /**
     * The file broke off (its CSV) or failed part-way: no more of its lines will be stored in this run, so the orders
     * it stored lines for are reconciled with what is stored now (a file sent again later reconciles them afresh).
     */
    @Override
    public void stopped(FileContext file, Connection c) throws SQLException {
        reconcileMarked(file, c);
    }

    private void reconcileMarked(FileContext file, Connection c) throws SQLException {
        // locked in one order, as everywhere; unmarked first, so this file's own marks do not hold the reconcile off
        java.util.SortedSet<String> keys = new java.util.TreeSet<>();
        for (SettlementStore.OrderRef ref : store.takePending(c, file.receiptId())) {
            keys.add(ref.channel() + '\u0000' + ref.orderExternalId());
        }
        for (String key : keys) {
            int split = key.indexOf('\u0000');
            Optional<Order> order = service.order(c, key.substring(0, split), key.substring(split + 1));
            if (order.isPresent()) {
                service.reconcile(c, order.get());
            }
        }
    }
}
