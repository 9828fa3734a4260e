-- Known answers (as tests/pg/sql/vectors.sql on PostgreSQL): every vector of
-- tests/core/vectors/encoding.tsv that MariaDB can hold, stored in each MariaDB type that
-- holds it and fingerprinted with the class letter and argument the procedures choose for
-- that column, must give the file's row fingerprints (hashed there with xxhsum/sha256sum,
-- independent of our code) in both algorithms. tests/mysql/vectors_sql.py turns the file
-- into SQL at build time, so no answer is copied by hand; CTest passes its path in
-- FINGERPRINT_MYSQL_VECTORS. A second client loads it so that its statements are not
-- echoed here; without the file, the load fails and so does every query below.
SET NAMES utf8mb4;
system mariadb --no-defaults -u root < "$FINGERPRINT_MYSQL_VECTORS"
-- Mismatches: none.
SELECT r.name, r.mariadb_type, r.class, r.algorithm, r.fp,
       IF(r.algorithm = 'xxh3', e.xxh3, e.sha256) AS expected
FROM t_vectors.results r LEFT JOIN t_vectors.expected e ON e.name = r.name
WHERE NOT r.fp <=> IF(r.algorithm = 'xxh3', e.xxh3, e.sha256)
ORDER BY r.name, r.mariadb_type, r.algorithm;
-- The types the vectors were checked in, with the class letter the procedures chose.
SELECT mariadb_type, class, COUNT(DISTINCT name) AS vectors FROM t_vectors.results
GROUP BY mariadb_type, class ORDER BY mariadb_type;
-- Every vector is checked in both algorithms, or left out with its reason; none is lost.
SELECT COUNT(*) AS vectors, SUM(name IN (SELECT name FROM t_vectors.results)) AS checked,
       SUM(name IN (SELECT name FROM t_vectors.skipped)) AS skipped FROM t_vectors.expected;
SELECT name, mariadb_type FROM t_vectors.results GROUP BY name, mariadb_type
HAVING COUNT(DISTINCT algorithm) <> 2 OR COUNT(*) <> 2;
SELECT name AS unaccounted FROM t_vectors.expected
WHERE name NOT IN (SELECT name FROM t_vectors.results) AND name NOT IN (SELECT name FROM t_vectors.skipped);
SELECT name, reason FROM t_vectors.skipped ORDER BY name;
DROP DATABASE t_vectors;
