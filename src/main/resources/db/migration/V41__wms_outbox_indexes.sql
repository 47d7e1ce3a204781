-- Hot-path tuning of the pick-ticket outbox (measured with bench/w1-webhooks.sh): every paid order adds a row.
-- The unique (order_id, version) key already serves lookups by order, so a second index on order_id alone
-- only costs every insert; and message ids are handed out in blocks, so H2 does not persist the sequence
-- every few rows.
drop index wms_outbox_order;
alter table wms_outbox alter column message_id set cache 1000;
