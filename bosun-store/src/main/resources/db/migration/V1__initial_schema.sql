-- Portable SQL: runs on SQLite and PostgreSQL. Times are epoch milliseconds; JSON is stored as text.
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  admin BOOLEAN NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE tokens (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL
);

CREATE TABLE projects (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);

CREATE TABLE members (
  project_id TEXT NOT NULL REFERENCES projects (id),
  user_id TEXT NOT NULL REFERENCES users (id),
  role TEXT NOT NULL,
  PRIMARY KEY (project_id, user_id)
);

CREATE TABLE fleets (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL REFERENCES projects (id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (project_id, name)
);

CREATE TABLE instances (
  id TEXT PRIMARY KEY,
  fleet_id TEXT NOT NULL REFERENCES fleets (id),
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  resources TEXT,
  agent_version TEXT,
  agent_boot_id TEXT,
  agent_cursor BIGINT NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL,
  UNIQUE (fleet_id, name)
);

-- active_name is 'project_id/name' while the run is not finished and NULL after: the unique index makes two
-- concurrent applies of one name impossible without a lock.
CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL REFERENCES projects (id),
  user_id TEXT NOT NULL REFERENCES users (id),
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  status TEXT NOT NULL,
  configuration TEXT NOT NULL,
  file_name TEXT NOT NULL,
  client_env TEXT NOT NULL,
  priority INTEGER NOT NULL,
  submitted_at BIGINT NOT NULL,
  started_at BIGINT,
  finished_at BIGINT,
  termination_reason TEXT,
  termination_message TEXT,
  exit_status INTEGER,
  wait_reason TEXT,
  estimated_start BIGINT,
  stop_request TEXT,
  active_name TEXT UNIQUE,
  deleted BOOLEAN NOT NULL,
  version BIGINT NOT NULL
);
CREATE INDEX runs_project_name ON runs (project_id, name);
CREATE INDEX runs_status ON runs (status);

CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  run_id TEXT NOT NULL REFERENCES runs (id),
  job_num INTEGER NOT NULL,
  submission_num INTEGER NOT NULL,
  status TEXT NOT NULL,
  instance_id TEXT REFERENCES instances (id),
  cpus INTEGER,
  memory_mb BIGINT,
  gpus TEXT,
  gpu_uuids TEXT,
  expected_end BIGINT,
  exit_status INTEGER,
  termination_reason TEXT,
  message TEXT,
  submitted_at BIGINT NOT NULL,
  started_at BIGINT,
  finished_at BIGINT
);
CREATE INDEX jobs_run ON jobs (run_id);
CREATE INDEX jobs_status ON jobs (status);
