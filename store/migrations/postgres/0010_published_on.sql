-- The day the publisher released an imported file, so public pages can say
-- how old their figures are rather than when Accord took them in. The same
-- column as the SQLite migration of the same number, in PostgreSQL's types.
-- NULL when unknown, as for every import made before this column.
ALTER TABLE imports ADD COLUMN published_on DATE;
