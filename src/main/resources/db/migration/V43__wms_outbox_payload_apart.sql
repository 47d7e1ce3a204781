-- The WMS outbox's payloads move to a table of their own, written once and only read after.
-- Measured with bench/w1-webhooks.sh: the drain marks every message it sends ('sending'/'sent'), and in H2 an
-- update rewrites the whole row - payload included - in the table's pages and in the undo log, which the next
-- commit of any transaction (the webhook writer's too) serialises to the file again. With the payload apart,
-- the row the drain updates is about a tenth of the size.
create table wms_outbox_payload (
    order_id          varchar(64)   not null,
    version           integer       not null,
    payload           varchar       not null,
    constraint wms_outbox_payload_key primary key (order_id, version)
);
insert into wms_outbox_payload (order_id, version, payload) select order_id, version, payload from wms_outbox;
alter table wms_outbox drop column payload;
-- the Idempotency-Key is <order_id>-v<version>: unique (order_id, version) already makes it unique, and one
-- index less is one insert less for every paid order
alter table wms_outbox drop constraint wms_outbox_key;
