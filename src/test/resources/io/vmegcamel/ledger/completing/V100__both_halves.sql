-- The migration that V100__HaltHalfway died in, as the next version ships it (see MigrationKillTest).
ALTER TABLE job ADD COLUMN first_half INT;
ALTER TABLE job ADD COLUMN second_half INT;
