-- A service re-applied with a changed configuration gets a new deployment: its replicas are
-- replaced one at a time by jobs of the new one.
ALTER TABLE runs ADD COLUMN deployment_num INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN deployment_num INTEGER NOT NULL DEFAULT 0;
