-- Users' SSH public keys: the keys of a project's members may open SSH sessions into its running jobs.
CREATE TABLE ssh_keys (
  user_id    TEXT NOT NULL REFERENCES users (id),
  name       TEXT NOT NULL,
  public_key TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, name)
);
