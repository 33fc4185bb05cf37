-- Providers' delivery reports. eSMS.vn calls the CallbackUrl we give it with a plain GET and
-- signs nothing, so each unit's SMS settings get an unguessable token that is the callback's
-- path (`/hooks/esms/{token}`); Zalo signs its webhook events with the OA secret key (not the
-- app's secret key), kept here write-only. Reports find their message by the provider's id.
ALTER TABLE comm_channel_settings ADD COLUMN hook_token TEXT;
ALTER TABLE comm_channel_settings ADD COLUMN hook_secret TEXT;
CREATE UNIQUE INDEX comm_channel_settings_hook ON comm_channel_settings (hook_token);
CREATE INDEX comm_messages_provider_ref ON comm_messages (channel, provider_ref);
