-- The database and user W&B connects with (utf8mb4 / utf8mb4_general_ci).
-- Written by 'wbinstall render'.  Run it once as an admin user:
--   mysql -u root -p < bootstrap.sql
-- The first statement adds NO_BACKSLASH_ESCAPES to this session's sql_mode,
-- so that the password's literal (a quote written twice, nothing else
-- escaped) reads the same whatever the server's sql_mode is.
-- This file holds the password: keep it private and delete it afterwards.
SET SESSION sql_mode = TRIM(BOTH ',' FROM CONCAT(@@SESSION.sql_mode, ',NO_BACKSLASH_ESCAPES'));
CREATE USER 'wandb_local'@'%' IDENTIFIED BY 'p@ss:word/1';
CREATE DATABASE `wandb_local` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;
GRANT ALL ON `wandb_local`.* TO 'wandb_local'@'%' WITH GRANT OPTION;
