-- Enrolment codes keep the key that authenticates the enrolment request
-- and answer (docs/protocol.md §5); hash is now the code's code_id. Codes
-- made before this version have no key and cannot be redeemed.
ALTER TABLE enrol_codes ADD COLUMN auth_key bytea;
DELETE FROM enrol_codes;
