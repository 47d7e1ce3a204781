-- A held row of a returns manifest, released later, adds its units to the line its manifest stored (rows of one
-- file for the same RMA and SKU add up); it replaced the line instead, and units vanished from quarantine. The
-- receipt of the manifest that last stated the line tells the two apart: a line a later manifest restated since is
-- not added to (that manifest said what the return is). Null for lines stored before this column.
alter table return_lines add column source_receipt bigint;
