-- The day the publisher released an imported file (YYYY-MM-DD), so public
-- pages can say how old their figures are rather than when Accord took
-- them in. NULL when unknown, as for every import made before this column.
ALTER TABLE imports ADD COLUMN published_on TEXT;
