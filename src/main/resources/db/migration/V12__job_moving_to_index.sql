-- Each move of a job's file asks whether another job is moving to the same path: without an index every move read
-- the whole job table, so moves got slower as the ledger grew.
CREATE INDEX job_moving_to ON job (moving_to);
