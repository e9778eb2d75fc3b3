-- The city store, first version. Tables are not schema-qualified: the
-- connection's search_path decides (tests use one schema each).

CREATE TABLE meta (
	key   text PRIMARY KEY,
	value text NOT NULL
);
-- The feeds' epoch: random, changed by NewEpoch after a restore.
INSERT INTO meta (key, value) VALUES ('epoch', substr(md5(random()::text || clock_timestamp()::text), 1, 16));

CREATE TABLE enrol_codes (
	hash         text PRIMARY KEY, -- hex sha256 of the normalised code; the code is never stored
	commune      text NOT NULL,
	commune_name text NOT NULL,
	created_at   timestamptz NOT NULL,
	expires_at   timestamptz
);

CREATE SEQUENCE kiosk_number AS bigint MINVALUE 1 MAXVALUE 4294967295;

CREATE TABLE kiosks (
	id           text PRIMARY KEY,
	number       bigint NOT NULL UNIQUE,
	commune      text NOT NULL,
	commune_name text NOT NULL,
	public_key   bytea NOT NULL,
	app_version  text NOT NULL DEFAULT '',
	enrolled_at  timestamptz NOT NULL,
	revoked_at   timestamptz,
	-- The last seq of this kiosk's feed. Every append locks this row and
	-- bumps it in its own transaction: the feed has no gaps and its
	-- numbers commit in order.
	feed_seq     bigint NOT NULL DEFAULT 0
);

-- Heartbeats apart from kiosks, so they never wait behind a feed append.
CREATE TABLE kiosk_heartbeats (
	kiosk_id    text PRIMARY KEY REFERENCES kiosks (id),
	heartbeat   jsonb NOT NULL,
	at          timestamptz NOT NULL,
	app_version text NOT NULL DEFAULT ''
);

CREATE SEQUENCE city_ref AS bigint MINVALUE 1;

CREATE TABLE requests (
	request_id  text PRIMARY KEY,
	kiosk_id    text NOT NULL REFERENCES kiosks (id),
	seq         bigint NOT NULL,
	code        text NOT NULL,
	service     text NOT NULL,
	commune     text NOT NULL,
	city_ref    text NOT NULL UNIQUE,
	sha256      text NOT NULL,
	sealed      bytea NOT NULL, -- as the kiosk sealed it to the city's key: personal data stays sealed at rest
	created_at  timestamptz NOT NULL,
	received_at timestamptz NOT NULL,
	status      text NOT NULL,
	status_note text NOT NULL DEFAULT '',
	updated_at  timestamptz NOT NULL
);
CREATE INDEX requests_kiosk_seq ON requests (kiosk_id, seq);
CREATE INDEX requests_status ON requests (status, city_ref);
CREATE INDEX requests_commune ON requests (commune, city_ref);

CREATE TABLE feed (
	kiosk_id   text NOT NULL REFERENCES kiosks (id),
	seq        bigint NOT NULL,
	request_id text NOT NULL,
	code       text NOT NULL,
	status     text NOT NULL,
	note       text NOT NULL DEFAULT '',
	changed_at timestamptz NOT NULL,
	PRIMARY KEY (kiosk_id, seq)
);

-- Replay guard, shared by every cityd on the database.
CREATE TABLE replay_newest (
	kiosk_id text PRIMARY KEY,
	newest   bigint NOT NULL -- unix ns of the newest kiosk time accepted
);
CREATE TABLE replay_nonces (
	kiosk_id text NOT NULL,
	nonce    text NOT NULL,
	t        bigint NOT NULL, -- kiosk time, unix ns
	PRIMARY KEY (kiosk_id, nonce)
);
CREATE INDEX replay_nonces_t ON replay_nonces (kiosk_id, t);
