-- SSH fleets: the fleet file, each host's connection settings and provisioning progress, and host keys
-- recorded on first use.
ALTER TABLE fleets ADD COLUMN configuration TEXT;
ALTER TABLE instances ADD COLUMN host_spec TEXT;
ALTER TABLE instances ADD COLUMN status_message TEXT;

CREATE TABLE host_keys (
  fleet_id TEXT NOT NULL REFERENCES fleets (id),
  host TEXT NOT NULL,
  port INTEGER NOT NULL,
  public_key TEXT NOT NULL,
  recorded_at BIGINT NOT NULL,
  PRIMARY KEY (fleet_id, host, port)
);
