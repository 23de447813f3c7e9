-- Sessions end for good when the reason they were granted ends (server/access/sessionStore.ts).
-- A user's credential generation goes up on every password change or reset, disable, enable and
-- role or scope change; a session is valid only while it carries its user's current generation,
-- so re-enabling a user or restoring a role never brings an old session back.
ALTER TABLE app_user ADD COLUMN IF NOT EXISTS credential_gen UInt32 DEFAULT 0;
ALTER TABLE app_session ADD COLUMN IF NOT EXISTS credential_gen UInt32 DEFAULT 0;
