-- The back office: every request keeps its whole record as a JSON
-- document (doc, without the sealed payload), with the columns the
-- queries filter on beside it; users, sessions, API tokens, the audit
-- log, the calendar, catalogue versions and heartbeat history.

ALTER TABLE requests
	ADD COLUMN doc jsonb,
	ADD COLUMN office text NOT NULL DEFAULT '',
	ADD COLUMN delivery text NOT NULL DEFAULT '',
	ADD COLUMN assignee text NOT NULL DEFAULT '',
	ADD COLUMN due_at timestamptz;
UPDATE requests SET office = commune, doc = jsonb_build_object(
	'request_id', request_id, 'kiosk_id', kiosk_id, 'seq', seq, 'code', code, 'service', service,
	'commune', commune, 'office', commune, 'city_ref', city_ref, 'sha256', sha256, 'created_at', created_at,
	'received_at', received_at, 'status', status, 'status_note', status_note, 'updated_at', updated_at, 'fee_vnd', 0);
ALTER TABLE requests ALTER COLUMN doc SET NOT NULL;
CREATE INDEX requests_office ON requests (office, city_ref);
CREATE INDEX requests_code ON requests (upper(code));
CREATE INDEX requests_due ON requests (office, due_at) WHERE due_at IS NOT NULL;

CREATE TABLE users (
	id   text PRIMARY KEY,
	name text NOT NULL UNIQUE,
	doc  jsonb NOT NULL
);

CREATE TABLE sessions (
	hash       text PRIMARY KEY, -- sha256 of the cookie's secret
	user_id    text NOT NULL,
	created_at timestamptz NOT NULL,
	doc        jsonb NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id, created_at);

CREATE TABLE api_tokens (
	id         text PRIMARY KEY,
	hash       text NOT NULL UNIQUE, -- sha256 of the token
	user_id    text NOT NULL,
	created_at timestamptz NOT NULL,
	doc        jsonb NOT NULL
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, created_at);

-- Append-only: a trigger refuses every UPDATE and DELETE.
CREATE TABLE audit (
	seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at         timestamptz NOT NULL,
	user_id    text NOT NULL DEFAULT '',
	action     text NOT NULL,
	request_id text NOT NULL DEFAULT '',
	doc        jsonb NOT NULL
);
CREATE INDEX audit_user ON audit (user_id, seq);
CREATE INDEX audit_request ON audit (request_id, seq);
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the audit log is append-only';
END $$;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit
	FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

CREATE TABLE calendar (
	date text PRIMARY KEY, -- YYYY-MM-DD, Asia/Ho_Chi_Minh
	kind text NOT NULL,
	note text NOT NULL DEFAULT ''
);

CREATE TABLE catalogues (
	version        text PRIMARY KEY,
	n              bigint GENERATED ALWAYS AS IDENTITY UNIQUE, -- publication order
	notice_version text NOT NULL,
	sha256         text NOT NULL,
	published_at   timestamptz NOT NULL,
	published_by   text NOT NULL DEFAULT '',
	document       bytea NOT NULL
);

CREATE TABLE heartbeat_history (
	kiosk_id    text NOT NULL,
	hour        timestamptz NOT NULL,
	received_at timestamptz NOT NULL,
	heartbeat   jsonb NOT NULL,
	PRIMARY KEY (kiosk_id, hour)
);
