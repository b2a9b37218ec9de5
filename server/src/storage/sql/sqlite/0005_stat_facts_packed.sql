-- Statistics facts packed (postcard, dates as day numbers) instead of JSON:
-- a bureau-wide bulletin decodes hundreds of thousands of them. The JSON rows
-- are dropped; the relay rebuilds every document's facts from the stored
-- document at start (documents without a row get one), in batches.
DROP TABLE stat_facts;
CREATE TABLE stat_facts (
    id       TEXT PRIMARY KEY,
    owner    TEXT NOT NULL,
    kind     TEXT NOT NULL,
    first_on TEXT NOT NULL,
    last_on  TEXT NOT NULL,
    facts    BLOB NOT NULL
);
CREATE INDEX stat_facts_last ON stat_facts (last_on);
CREATE INDEX stat_facts_owner ON stat_facts (owner, last_on);
