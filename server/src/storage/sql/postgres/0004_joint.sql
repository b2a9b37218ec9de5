-- Joint operations (联合办案); see the SQLite migration of the same number.
ALTER TABLE devices ADD COLUMN sponsor TEXT REFERENCES orgs (code);
ALTER TABLE grants ADD COLUMN office TEXT;

CREATE TABLE actors (
    actor      TEXT PRIMARY KEY,
    device_id  TEXT NOT NULL REFERENCES devices (id),
    first_seen TIMESTAMPTZ NOT NULL
);
CREATE INDEX actors_device ON actors (device_id);
