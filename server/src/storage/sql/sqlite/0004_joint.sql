-- Joint operations (联合办案).
--
-- A partner device enrolled by an office (not by the relay's admin) is
-- sponsored by that office and reads only what that office shared with its
-- partner organisation.
ALTER TABLE devices ADD COLUMN sponsor TEXT REFERENCES orgs (code);
-- The office (or bureau) that made a grant.
ALTER TABLE grants ADD COLUMN office TEXT;

-- Which enrolled device each Automerge actor (one store's replica) belongs
-- to: the first device that uploads a change by an actor claims it, and no
-- other user's device can upload changes by it afterwards, so a change can
-- never be passed off as another organisation's.
CREATE TABLE actors (
    actor      TEXT PRIMARY KEY,
    device_id  TEXT NOT NULL REFERENCES devices (id),
    first_seen TEXT NOT NULL
);
CREATE INDEX actors_device ON actors (device_id);
