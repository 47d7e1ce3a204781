-- Hot-path tuning of the order intake (measured with bench/w1-webhooks.sh):
-- the purge and the recovery sweep both filter on status first, so (status, received_at) serves them and
-- a second index on received_at alone only costs every delivery insert;
drop index webhook_deliveries_received;
-- identity values handed out in blocks: with the default small cache, H2 persists the sequence every few
-- rows, and several history rows are written per order.
alter table order_history alter column history_id set cache 1000;
alter table webhook_deliveries alter column delivery_id set cache 1000;
