-- Job specs from inbox sub-folders and the cost guard (specs branch). Portable SQL for H2 and PostgreSQL.
-- The inbox sub-folder the file was dropped into ('' = the inbox itself); processing, archive, failed and held
-- keep it, so a report sits where the user looks.
ALTER TABLE job ADD COLUMN inbox_folder VARCHAR(1024) DEFAULT '' NOT NULL;
-- The material's duration as VMEG reported it (Material.duration, milliseconds); NULL until known.
ALTER TABLE job ADD COLUMN duration_ms BIGINT;
-- The cost guard's estimate for one target language, and for every language the job submits.
ALTER TABLE job ADD COLUMN credits_per_language BIGINT;
ALTER TABLE job ADD COLUMN estimated_credits BIGINT;
-- When an operator released a held job (jobs release): the caps no longer hold it back.
ALTER TABLE job ADD COLUMN cost_released_at TIMESTAMP WITH TIME ZONE;
