-- Payment provider payouts (DESIGN §5 kind "settlements"): one line per payout, order and type.
-- Reconciliation against the order is derived from these lines, never stored.
create table settlement_lines (
    payout_id          varchar(100)  not null,
    channel            varchar(64)   not null,
    order_external_id  varchar(200)  not null,
    type               varchar(16)   not null,
    amount             numeric(19, 4) not null,
    currency           varchar(8)    not null,
    paid_at            timestamp with time zone not null,
    source_file        varchar(400),
    source_row         integer,
    recorded_at        timestamp with time zone not null,
    primary key (payout_id, channel, order_external_id, type)
);
create index settlement_lines_order on settlement_lines (channel, order_external_id);
