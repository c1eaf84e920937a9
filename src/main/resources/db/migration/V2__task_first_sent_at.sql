-- When create-async was first sent with the task's idempotency key. Set once, never moved by later updates:
-- VMEG remembers a key 24 h, and the bundle never resends it more than 23 h after this.
ALTER TABLE task ADD COLUMN first_sent_at TIMESTAMP WITH TIME ZONE;
-- Tasks sent before this column existed: their creation is the earliest the key can have been sent (the safe side).
UPDATE task SET first_sent_at = created_at WHERE state <> 'PENDING';
