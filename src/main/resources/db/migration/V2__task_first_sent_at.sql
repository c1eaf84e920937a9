-- When create-async was first sent with the task's idempotency key; set once, never moved. VMEG keeps keys 24 h,
-- so the bundle never resends a key first sent more than 23 h ago.
ALTER TABLE task ADD COLUMN first_sent_at TIMESTAMP WITH TIME ZONE;
