-- The database and user W&B connects with (utf8mb4 / utf8mb4_general_ci).
-- Written by 'wbinstall render'.  Run it once as an admin user:
--   mysql -u root -p < bootstrap.sql
-- The first statement adds NO_BACKSLASH_ESCAPES to this session's sql_mode,
-- so that the password's literal (a quote written twice, nothing else
-- escaped) reads the same whatever the server's sql_mode is.
-- This file holds the password: keep it private and delete it afterwards.
{{sql}}
