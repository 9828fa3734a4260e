-- Capture trigger names never collide between tables, enable refuses a name taken by
-- another table's trigger, and disable drops only triggers of the table it names
-- (issue 8, class 5). Table names with dots, quotes, spaces, unicode, reserved words,
-- case variants and long names.
SET NAMES utf8mb4;
CREATE DATABASE t_trig CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
USE t_trig;
-- 60 characters: 1.0 named its triggers fpc_<op>_<49 characters>_<8 hex of MD5>, which is
-- the plain name of the triggers of the 58-character table `s58` below.
SET @long = REPEAT('a', 60);
SET @s58 = CONCAT(REPEAT('a', 49), '_', LEFT(MD5(@long), 8));
SELECT fingerprint.capture_trigger_name_1_0(@long, 'i') = fingerprint.capture_trigger_name(@s58, 'i') AS collided_in_1_0,
       fingerprint.capture_trigger_name(@long, 'i') = fingerprint.capture_trigger_name(@s58, 'i') AS collides_now,
       fingerprint.capture_trigger_name(@long, 'i') AS long_name, CHAR_LENGTH(fingerprint.capture_trigger_name(@long, 'd')) AS length;
SET @sql = CONCAT('CREATE TABLE t_trig.', @long, ' (id INT PRIMARY KEY, v INT)');
PREPARE s FROM @sql; EXECUTE s;
SET @sql = CONCAT('CREATE TABLE t_trig.', @s58, ' (id INT PRIMARY KEY, v INT)');
PREPARE s FROM @sql; EXECUTE s;
CALL fingerprint.capture_apply(CONCAT('t_trig.', @long), 'enable');
CALL fingerprint.capture_apply(CONCAT('t_trig.', @s58), 'enable');
SELECT EVENT_OBJECT_TABLE = @long AS of_long, EVENT_MANIPULATION, TRIGGER_NAME
  FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 't_trig' ORDER BY 1, 2;
SET @sql = CONCAT('INSERT INTO t_trig.', @long, ' VALUES (1, 1)'); PREPARE s FROM @sql; EXECUTE s;
SET @sql = CONCAT('INSERT INTO t_trig.', @s58, ' VALUES (1, 1)'); PREPARE s FROM @sql; EXECUTE s;
SELECT table_name = CONCAT('t_trig.', @long) AS of_long, op FROM fingerprint.change_log
 WHERE table_name LIKE 't\_trig.aaaa%' ORDER BY seq;
-- Disabling s58 leaves the long table's triggers alone, and its capture intact.
CALL fingerprint.capture_apply(CONCAT('t_trig.', @s58), 'disable');
SELECT EVENT_OBJECT_TABLE = @long AS of_long, COUNT(*) FROM information_schema.TRIGGERS
 WHERE TRIGGER_SCHEMA = 't_trig' GROUP BY 1;
CALL fingerprint.capture_check(CONCAT('t_trig.', @long));

-- A trigger of another table under a capture trigger's name: enable refuses and names it,
-- disable does not drop it.
CREATE TABLE victim (id INT PRIMARY KEY);
CREATE TABLE other (id INT PRIMARY KEY, v INT);
CREATE TRIGGER fpc_u_victim AFTER UPDATE ON other FOR EACH ROW SET @touched = 1;
CALL fingerprint.capture_apply('t_trig.victim', 'enable');
CALL fingerprint.capture_ddl('t_trig.victim', 'disable');
CALL fingerprint.capture_apply('t_trig.victim', 'disable');
SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE FROM information_schema.TRIGGERS
 WHERE TRIGGER_SCHEMA = 't_trig' AND EVENT_OBJECT_TABLE IN ('victim', 'other') ORDER BY 1;
DROP TRIGGER fpc_u_victim;

-- Names that differ only in case or accents, with dots, quotes, spaces, reserved words.
CREATE TABLE `T` (id INT PRIMARY KEY, v INT);
CREATE TABLE `t` (id INT PRIMARY KEY, v INT);
CREATE TABLE `é` (id INT PRIMARY KEY, v INT);
CREATE TABLE `e` (id INT PRIMARY KEY, v INT);
CREATE TABLE `a.b` (id INT PRIMARY KEY, v INT);
CREATE TABLE `we``ird 'q"` (id INT PRIMARY KEY, v INT);
CREATE TABLE `select` (id INT PRIMARY KEY, v INT);
CALL fingerprint.capture_apply('t_trig.T', 'enable');
CALL fingerprint.capture_apply('t_trig.t', 'enable');
CALL fingerprint.capture_apply('t_trig.é', 'enable');
CALL fingerprint.capture_apply('t_trig.e', 'enable');
CALL fingerprint.capture_apply('t_trig.a.b', 'enable');
CALL fingerprint.capture_apply('t_trig.we`ird ''q"', 'enable');
CALL fingerprint.capture_apply('t_trig.select', 'enable');
SELECT EVENT_OBJECT_TABLE, COUNT(*) AS triggers FROM information_schema.TRIGGERS
 WHERE TRIGGER_SCHEMA = 't_trig' GROUP BY BINARY EVENT_OBJECT_TABLE ORDER BY BINARY EVENT_OBJECT_TABLE;
INSERT INTO `T` VALUES (1, 1);
INSERT INTO `t` VALUES (2, 2);
INSERT INTO `é` VALUES (3, 3);
INSERT INTO `e` VALUES (4, 4);
INSERT INTO `a.b` VALUES (5, 5);
INSERT INTO `we``ird 'q"` VALUES (6, 6);
INSERT INTO `select` VALUES (7, 7);
SELECT table_name, `key` FROM fingerprint.changes WHERE table_name LIKE 't\_trig.%' AND table_name NOT LIKE 't\_trig.aaaa%' ORDER BY seq;
CALL fingerprint.capture_apply('t_trig.t', 'disable');
CALL fingerprint.capture_apply('t_trig.e', 'disable');
SELECT EVENT_OBJECT_TABLE, COUNT(*) AS triggers FROM information_schema.TRIGGERS
 WHERE TRIGGER_SCHEMA = 't_trig' GROUP BY BINARY EVENT_OBJECT_TABLE ORDER BY BINARY EVENT_OBJECT_TABLE;
CALL fingerprint.capture_check('t_trig.T');
CALL fingerprint.capture_check('t_trig.é');
CALL fingerprint.capture_check('t_trig.t');
CALL fingerprint.capture_apply('t_trig.T', 'disable');
CALL fingerprint.capture_apply('t_trig.é', 'disable');
CALL fingerprint.capture_apply('t_trig.a.b', 'disable');
CALL fingerprint.capture_apply('t_trig.we`ird ''q"', 'disable');
CALL fingerprint.capture_apply('t_trig.select', 'disable');
CALL fingerprint.capture_apply(CONCAT('t_trig.', @long), 'disable');
SELECT COUNT(*) AS triggers_left FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 't_trig';
DELETE FROM fingerprint.change_log WHERE table_name LIKE 't\_trig.%';
DEALLOCATE PREPARE s;
DROP DATABASE t_trig;
