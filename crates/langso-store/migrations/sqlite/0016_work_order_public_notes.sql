-- An officer's note on a work order step is internal unless the officer marks it public:
-- only public notes appear on the reporter's status page. Notes written before this
-- migration stay internal (they were written without that choice).
ALTER TABLE work_order_history ADD COLUMN public_note BOOLEAN NOT NULL DEFAULT FALSE;
