-- Fewer index entries per household, so a commune's register imports faster.
-- Search matches `search_key LIKE '%…%'`, which no B-tree index can serve: the search index
-- was written on every insert and never read (lists go through households_unit).
DROP INDEX households_search;
-- Only assigned households are ever looked up by assignee ("my round": assigned_to = $1), so
-- the index skips the unassigned ones, which is every household a file import creates.
DROP INDEX households_assigned;
CREATE INDEX households_assigned ON households (assigned_to, follow_up_on) WHERE assigned_to IS NOT NULL;
