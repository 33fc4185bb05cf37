-- How a province or commune reaches people on each channel (Zalo ZNS, SMS, e-mail): the
-- provider's address, the account, the sender, options, and a secret that pages never show
-- back. A message uses the settings of the nearest unit at or above its own that has them.
-- For ZNS the Official Account's token pair lives here too: the refresh token is single use,
-- so a node refreshes it holding this row's lock and commits the new pair on its own at once.
CREATE TABLE comm_channel_settings (
    unit_id UUID NOT NULL REFERENCES units (id),
    channel TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    endpoint TEXT NOT NULL,
    account TEXT NOT NULL,
    sender TEXT NOT NULL,
    options TEXT NOT NULL,
    secret TEXT,
    access_token TEXT,
    refresh_token TEXT,
    token_expires_at BIGINT,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (unit_id, channel)
);

-- The ZNS template a unit sends for each purpose (a message's source), and how the template's
-- parameters are filled from the message's named parameters (a JSON object: template
-- parameter -> message parameter). Zalo approves each template, so they are data, not code.
CREATE TABLE comm_zns_templates (
    unit_id UUID NOT NULL REFERENCES units (id),
    source TEXT NOT NULL,
    template_id TEXT NOT NULL,
    params TEXT NOT NULL,
    PRIMARY KEY (unit_id, source)
);
