-- Hot-path tuning of the pick-ticket outbox (measured with bench/w1-webhooks.sh): a message's payload (V43) is
-- keyed by its message_id instead of (order_id, version). In H2 a table whose primary key is one bigint column
-- stores its rows under that key; a two-column key is a second index besides the rows, one more index entry to
-- insert, commit and write out for every paid order. (order_id, version) stays unique on wms_outbox itself.
alter table wms_outbox_payload rename to wms_outbox_payload_v43;
create table wms_outbox_payload (
    message_id        bigint        not null,
    payload           varchar       not null,
    constraint wms_outbox_payload_message primary key (message_id)
);
insert into wms_outbox_payload (message_id, payload)
    select o.message_id, p.payload from wms_outbox o
    join wms_outbox_payload_v43 p on p.order_id = o.order_id and p.version = o.version;
drop table wms_outbox_payload_v43;
