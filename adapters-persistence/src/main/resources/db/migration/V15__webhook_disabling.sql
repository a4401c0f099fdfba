-- A receiver that fails for too long is disabled instead of being retried for ever: since when its
-- attempts have failed in a row, and when delivery to it was stopped (null while enabled).
-- (Webhook secrets are encrypted by the service before they are stored: the secret column now
-- holds "enc:v1:" and the base64 of a nonce and the ciphertext; older rows are read as they are.)
ALTER TABLE webhook ADD COLUMN failing_since TIMESTAMP WITH TIME ZONE;
ALTER TABLE webhook ADD COLUMN disabled_at TIMESTAMP WITH TIME ZONE;
