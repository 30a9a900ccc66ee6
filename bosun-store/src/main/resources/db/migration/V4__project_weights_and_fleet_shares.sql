-- Fair share between projects: a project with weight 2 is entitled to twice the GPU-hours of weight 1.
ALTER TABLE projects ADD COLUMN weight DOUBLE PRECISION NOT NULL DEFAULT 1;
-- A fleet shared with another project: that project's runs may be placed on its hosts.
CREATE TABLE fleet_shares (
  fleet_id   TEXT NOT NULL REFERENCES fleets (id),
  project_id TEXT NOT NULL REFERENCES projects (id),
  shared_at  BIGINT NOT NULL,
  PRIMARY KEY (fleet_id, project_id)
);
CREATE INDEX fleet_shares_project ON fleet_shares (project_id);
