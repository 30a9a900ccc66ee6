-- Fleets drain before they are deleted: a draining fleet takes no new jobs, a deleted one is hidden.
ALTER TABLE fleets ADD COLUMN status TEXT NOT NULL DEFAULT 'ACTIVE';
-- placement: cluster (1) fleets take multi-node runs.
ALTER TABLE fleets ADD COLUMN cluster BOOLEAN NOT NULL DEFAULT FALSE;
-- Fair share reads what recently finished jobs used.
CREATE INDEX jobs_finished_at ON jobs (finished_at);
