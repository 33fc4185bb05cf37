-- h21a: consent given or withdrawn by a person of the household (the register has no member
-- table: the name and relation as given, the representative by default), the team member who
-- heard a consent given on the phone, and the scan of a paper form (checked PDF/JPEG/PNG, at
-- most 5 MB, kept in the database like the fault photos so a backup keeps it too).
ALTER TABLE household_consents ADD COLUMN person_name TEXT NOT NULL DEFAULT '';
ALTER TABLE household_consents ADD COLUMN relation TEXT NOT NULL DEFAULT 'representative';
ALTER TABLE household_consents ADD COLUMN confirmed_by TEXT NOT NULL DEFAULT '';

-- The household's events so far were the representative's: they keep their meaning.
UPDATE household_consents SET person_name = (SELECT h.representative_name FROM households h
    WHERE h.id = household_consents.household_id);

CREATE TABLE household_consent_scans (
    consent_id BLOB PRIMARY KEY NOT NULL REFERENCES household_consents (id),
    household_id BLOB NOT NULL REFERENCES households (id),
    content_type TEXT NOT NULL,
    content BLOB NOT NULL,
    created_at TEXT NOT NULL
);

-- Who saw what: the households named by an audit entry of an unmasked view, list or export,
-- so a household's "who looked at my data" is an index lookup.
CREATE TABLE audit_households (
    audit_id BLOB NOT NULL REFERENCES audit_log (id),
    household_id BLOB NOT NULL REFERENCES households (id),
    PRIMARY KEY (audit_id, household_id)
);
CREATE INDEX audit_households_household ON audit_households (household_id, audit_id);
