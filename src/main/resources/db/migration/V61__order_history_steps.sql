-- Hot-path tuning of order intake (measured with bench/w1-webhooks.sh and bench/w3-csv-inbox.sh): the transitions
-- one decision makes about an order (a new paid order: RECEIVED, STOCK_RESERVED, PAYMENT_CAPTURED) are written as
-- ONE order_history row instead of one row each; each row was two H2 index entries (its key and the order_id
-- index) and a foreign-key check. Such a row keeps its first from_state, its last to_state, reason_code, actor
-- and times in the columns (so the table still reads as the order's path), and every step, whole, in steps: a
-- JSON array of {from, to, reasonCode, evidence, actor, decidedAt, observedAt}. A single transition's row has
-- steps null and reads as before; OrderStore expands a row's steps in order.
alter table order_history add column steps varchar;
