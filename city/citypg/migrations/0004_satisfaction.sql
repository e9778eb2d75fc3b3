-- The kiosks' anonymous satisfaction tallies: one row per commune, day and
-- kiosk, replaced when the kiosk sends the day again (never summed twice).
CREATE TABLE satisfaction (
	commune        text NOT NULL,
	day            text NOT NULL, -- YYYY-MM-DD, Asia/Ho_Chi_Minh
	kiosk_id       text NOT NULL,
	very_satisfied integer NOT NULL CHECK (very_satisfied >= 0),
	satisfied      integer NOT NULL CHECK (satisfied >= 0),
	neutral        integer NOT NULL CHECK (neutral >= 0),
	not_satisfied  integer NOT NULL CHECK (not_satisfied >= 0),
	PRIMARY KEY (commune, day, kiosk_id)
);
