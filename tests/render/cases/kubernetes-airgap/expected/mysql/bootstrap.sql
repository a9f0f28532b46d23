-- The database and user W&B connects with (utf8mb4 / utf8mb4_general_ci).
-- Written by 'wbinstall render'.  Run it once as an admin user:
--   mysql -u root -p < bootstrap.sql
-- This file holds the password: keep it private and delete it afterwards.
CREATE USER 'wandb'@'%' IDENTIFIED BY 'mysql-secret-2';
CREATE DATABASE `wandb` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;
GRANT ALL ON `wandb`.* TO 'wandb'@'%' WITH GRANT OPTION;
