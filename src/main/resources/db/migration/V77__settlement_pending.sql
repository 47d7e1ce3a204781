-- The orders a payout file (its receipt) stored lines for and has not reconciled yet: written in the batch that
-- stores the lines, removed when the file's end reconciles them (or, when the file stops for good part-way, the
-- intake's stop). While an order has one for a file still being applied, a delivery does not reconcile it on the
-- lines stored so far: the file's end does, once all of its lines are in. Kept across a crash: the instance that
-- takes the file over (same receipt) reconciles what the earlier attempt marked.
create table settlement_pending (
    receipt_id         bigint        not null,
    channel            varchar(64)   not null,
    order_external_id  varchar(200)  not null,
    primary key (receipt_id, channel, order_external_id)
);
create index settlement_pending_order on settlement_pending (channel, order_external_id);
