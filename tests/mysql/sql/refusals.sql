-- A value the core refuses, or a value the server cannot convert after a column's type
-- changed under the capture triggers, fails the application's statement with a message
-- naming the table, the row and the reason (issue 8, class 9), and logs nothing.
SET NAMES utf8mb4;
CREATE DATABASE t_ref CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
USE t_ref;
CREATE TABLE `we ird.t` (id INT PRIMARY KEY, j JSON, n INT);
INSERT INTO `we ird.t` VALUES (1, '[1]', 1), (2, '[2]', 2);
CALL fingerprint.capture_apply('t_ref.we ird.t', 'enable');
INSERT INTO `we ird.t` VALUES (3, '{"a": 1e400}', 3);
UPDATE `we ird.t` SET j = '[1e400]' WHERE id = 1;
UPDATE `we ird.t` SET j = '[2e400]', n = 20 WHERE id = 2;
UPDATE `we ird.t` SET n = 20 WHERE id = 2;
DELETE FROM `we ird.t` WHERE id = 2;
-- The column type changes under the triggers.
ALTER TABLE `we ird.t` MODIFY n VARCHAR(10);
INSERT INTO `we ird.t` VALUES (4, '[4]', 'four');
UPDATE `we ird.t` SET n = 'x' WHERE id = 1;
-- Accepted values are still logged; the log has exactly the accepted changes.
UPDATE `we ird.t` SET n = '10' WHERE id = 1;
SELECT op, `key`, `after` FROM fingerprint.changes WHERE table_name = 't_ref.we ird.t' ORDER BY seq;
SELECT * FROM `we ird.t` ORDER BY id;
CALL fingerprint.capture_apply('t_ref.we ird.t', 'disable');
DELETE FROM fingerprint.change_log WHERE table_name = 't_ref.we ird.t';
DROP DATABASE t_ref;
