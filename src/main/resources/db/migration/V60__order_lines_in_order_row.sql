-- Hot-path tuning of order intake (measured with bench/w1-webhooks.sh and bench/w3-csv-inbox.sh): a new order's
-- lines are written with its row, as one text column (OrderStore: a JSON array of {sku, channelSku, quantity,
-- unitPrice}, prices at the scale of numeric(19, 4)), instead of one order_lines row per line. In H2 each line
-- row was two index entries (the table's row key and its primary key), each inserted and then committed with a
-- copy of its B-tree path, and its pages written out at every commit: a quarter of the entries a new order wrote.
-- Orders written before this keep their rows in order_lines (lines is null for them): OrderStore reads those
-- there, and moves them into the column the next time the order's lines change.
alter table orders add column lines varchar;
