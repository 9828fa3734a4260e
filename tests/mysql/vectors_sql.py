#!/usr/bin/env python3
"""Writes the known answers of tests/core/vectors/encoding.tsv as SQL for the MariaDB test
`vectors` (tests/mysql/sql/vectors.sql), so that no answer is copied by hand; the MariaDB
counterpart of tests/pg/vectors_sql.py.

Every vector MariaDB can hold is stored in a real column of each MariaDB type that holds
it (an integer in TINYINT..BIGINT, their UNSIGNED forms, DECIMAL(65,0) and BIT(64) where it
fits): one table t_vectors.v_<type> per type, with the columns `name` (the vector) and `v`
(the value). Each table is then fingerprinted in both algorithms with the class letter and
the argument expression the procedures choose for its column (fingerprint.column_class and
fingerprint.column_argument over information_schema), into t_vectors.results; the file's
fingerprints go to t_vectors.expected. Every other vector is listed with the reason it is
left out (t_vectors.skipped), so none disappears silently.

    vectors_sql.py encoding.tsv out.sql
"""
import decimal
import sys

INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)
INTEGER_TYPES = (("TINYINT", (-(2**7), 2**7 - 1)), ("SMALLINT", (-(2**15), 2**15 - 1)),
                 ("MEDIUMINT", (-(2**23), 2**23 - 1)), ("INT", INT32), ("BIGINT", INT64),
                 ("TINYINT UNSIGNED", (0, 2**8 - 1)), ("SMALLINT UNSIGNED", (0, 2**16 - 1)),
                 ("MEDIUMINT UNSIGNED", (0, 2**24 - 1)), ("INT UNSIGNED", (0, 2**32 - 1)),
                 ("BIGINT UNSIGNED", (0, 2**64 - 1)))
# TIMESTAMP(6) holds 1970-01-01 00:00:01 to 2038-01-19 03:14:07.999999 UTC, and the zero
# timestamp.
TIMESTAMP_RANGE = ("1970-01-01 00:00:01", "2038-01-19 03:14:07.999999")
# MariaDB's DECIMAL: at most 65 digits, at most 38 after the point.
DECIMAL_DIGITS, DECIMAL_SCALE = 65, 38
# Tag 08 (an invalid date kept as its text) needs a sql_mode without NO_ZERO_DATE,
# NO_ZERO_IN_DATE and strict date checks.
PERMISSIVE = "ALLOW_INVALID_DATES"


def input_bytes(field):
    """The input column: ~ is the empty string, \\xHH one byte, the rest UTF-8."""
    if field == "~":
        return b""
    out = bytearray()
    i = 0
    while i < len(field):
        if field.startswith("\\x", i) and i + 4 <= len(field):
            out.append(int(field[i + 2 : i + 4], 16))
            i += 4
        else:
            out += field[i].encode("utf-8")
            i += 1
    return bytes(out)


def utf8_or_none(data):
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def text_value(data):
    """A utf8mb4 string with exactly these bytes, whatever the client's character set."""
    return "CONVERT(X'%s' USING utf8mb4)" % data.hex()


def enum_label(data):
    """An ENUM label literal (a label must be a quoted string, not an expression)."""
    escaped = data.decode("utf-8").replace("\\", "\\\\").replace("'", "''").replace("\0", "\\0")
    return "'" + escaped + "'"


def string_types(data):
    """Text in the character types (when it is UTF-8) and the binary ones."""
    typed = [("VARBINARY(255)", "X'%s'" % data.hex()), ("BLOB", "X'%s'" % data.hex())]
    if utf8_or_none(data) is None:
        return typed
    text = text_value(data)
    typed += [("VARCHAR(255)", text), ("TEXT", text), ("ENUM(%s)" % enum_label(data), text)]
    return typed


def integer_types(value):
    """An exact integer in every type that holds it (BIT(64): its unsigned bits)."""
    typed = [(name, str(value)) for name, (low, high) in INTEGER_TYPES if low <= value <= high]
    typed.append(("DECIMAL(65,0)", "'%d'" % value))
    if 0 <= value < 2**64:
        typed.append(("BIT(64)", "b'%s'" % format(value, "b")))
    return typed


def decimal_type(value):
    """DECIMAL(p,s) holding value exactly with the scale it was written with, or a reason."""
    sign, digits, exponent = value.as_tuple()
    scale = max(0, -exponent)
    whole = max(1, len(digits) + exponent)
    if scale > DECIMAL_SCALE or whole + scale > DECIMAL_DIGITS:
        return "more digits than MariaDB's DECIMAL(65,38) holds"
    return [("DECIMAL(%d,%d)" % (whole + scale, scale), "'%s'" % format(value, "f"))]


def base10000_value(spec):
    """+;weight;d1,d2,...: numeric's base-10000 digits, the first weighted 10000^weight."""
    sign, weight, digits = spec.split(";")
    value = decimal.Decimal(0)
    for i, digit in enumerate(d for d in digits.split(",") if d):
        value += decimal.Decimal(int(digit)).scaleb(4 * (int(weight) - i))
    return -value if sign == "-" else value


def float_types(text, type_name):
    if text.lower().lstrip("+-") in ("nan", "inf", "infinity"):
        return "MariaDB's %s holds no NaN or infinity" % type_name
    return [(type_name, "'%s'" % text)]


def date_days(days):
    if days in INT32:
        return "an infinite date, which MariaDB has no value for"
    return [("DATE", "'2000-01-01' + INTERVAL %d DAY" % days)]


def timestamp_types(text, invalid):
    """DATETIME and TIMESTAMP. An invalid value (tag 08) is hashed as the server's text of
    it, which has as many fraction digits as the column's precision (a zero DATETIME(6) is
    '0000-00-00 00:00:00.000000'): it goes in the precision its vector was written with."""
    precision = len(text.partition(".")[2]) if invalid else 6
    column = "(%d)" % precision if precision else ""
    typed = [("DATETIME" + column, "'%s'" % text)]
    normalized = text.replace("T", " ")
    if normalized.startswith("0000-00-00") or TIMESTAMP_RANGE[0] <= normalized <= TIMESTAMP_RANGE[1]:
        typed.append(("TIMESTAMP" + column, "'%s'" % text))
    return typed


def time_types(text):
    hours = int(text.split(":")[0])
    if not -838 <= hours <= 838:
        return "MariaDB's TIME holds -838:59:59.999999 to 838:59:59.999999 only"
    return [("TIME(6)", "'%s'" % text)]


def typed_values(method, data, invalid):
    """[(MariaDB column type, SQL value)], or the reason MariaDB cannot hold the vector."""
    text = data.decode("utf-8", errors="replace")
    if method == "null":
        return [("INT", "NULL"), ("TEXT", "NULL")]
    if method in ("int64", "uint64"):
        return integer_types(int(text))
    if method == "bool":
        return [("BOOL", "TRUE" if text == "1" else "FALSE")]
    if method == "decimal_text":
        return decimal_type(decimal.Decimal(text))
    if method == "base10000":
        return decimal_type(base10000_value(text))
    if method == "numeric_special":
        return "MariaDB's DECIMAL holds no NaN or infinity"
    if method == "double":
        return float_types(text, "DOUBLE")
    if method == "float":
        return float_types(text, "FLOAT")
    if method in ("text", "bytes"):
        return string_types(data)
    if method == "padded_text":
        return [("CHAR(%d)" % max(len(text), 1), text_value(data))]
    if method == "uuid_text":
        return [("UUID", "'%s'" % text)]
    if method == "date_text":
        return [("DATE", "'%s'" % text)]
    if method == "date_days":
        return date_days(int(text))
    if method == "timestamp_text":
        return timestamp_types(text, invalid)
    if method == "timestamp_micros":
        return "an infinite timestamp, which MariaDB has no value for"
    if method == "time_text":
        return time_types(text)
    if method == "json":
        return [("JSON", text_value(data))]
    sys.exit("vectors_sql.py: unknown method %s" % method)


def quoted(text):
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def table_name(mariadb_type):
    """v_ and the type in lower case, its punctuation as underscores."""
    name = "".join(c if c.isalnum() else "_" for c in mariadb_type.lower())
    return "v_" + "_".join(part for part in name.split("_") if part)


# Fingerprints every row of t_vectors.<p_table> in one algorithm with the class letter and
# argument of its column `v`, exactly as the procedures build them.
CHECK_PROCEDURE = """DELIMITER //
CREATE PROCEDURE t_vectors.check_column(p_table VARCHAR(64), p_type TEXT, p_algorithm VARCHAR(8))
BEGIN
    DECLARE v_class CHAR(1);
    DECLARE v_argument TEXT;
    SELECT fingerprint.column_class(DATA_TYPE, COLUMN_TYPE,
               fingerprint.is_json_column(fingerprint.json_checks('t_vectors', p_table), 'v')),
           fingerprint.column_argument('v', DATA_TYPE, COLUMN_TYPE,
               fingerprint.is_json_column(fingerprint.json_checks('t_vectors', p_table), 'v'),
               CHARACTER_SET_NAME)
      INTO v_class, v_argument
      FROM information_schema.COLUMNS
     WHERE TABLE_SCHEMA = 't_vectors' AND TABLE_NAME = p_table AND COLUMN_NAME = 'v';
    SET @vectors_sql = CONCAT('INSERT INTO t_vectors.results SELECT name, ', QUOTE(p_type), ', ',
                              QUOTE(v_class), ', ', QUOTE(p_algorithm), ', row_fingerprint(',
                              QUOTE(CONCAT(p_algorithm, ':', v_class)), ', ', v_argument,
                              ') FROM t_vectors.', p_table);
    PREPARE vectors_statement FROM @vectors_sql;
    EXECUTE vectors_statement;
    DEALLOCATE PREPARE vectors_statement;
END//
DELIMITER ;"""


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as vectors:
        lines = [line.rstrip("\n") for line in vectors if line.strip() and not line.startswith("#")]
    decimal.getcontext().prec = 2000
    out = ["-- Generated by tests/mysql/vectors_sql.py from tests/core/vectors/encoding.tsv; do not edit.",
           "SET NAMES utf8mb4;",
           "SET time_zone = '+00:00';",
           "CREATE DATABASE t_vectors;",
           "CREATE TABLE t_vectors.expected (name VARCHAR(64) PRIMARY KEY, xxh3 VARCHAR(64), sha256 VARCHAR(64));",
           "CREATE TABLE t_vectors.skipped (name VARCHAR(64) PRIMARY KEY, reason TEXT);",
           "CREATE TABLE t_vectors.results (name VARCHAR(64), mariadb_type TEXT, class CHAR(1),",
           "                                algorithm VARCHAR(8), fp VARCHAR(64));",
           CHECK_PROCEDURE]
    rows_of_type = {}  # MariaDB column type -> [(name, value, invalid temporal)], in file order
    for line in lines:
        fields = line.split("\t")
        if len(fields) != 6:
            sys.exit("vectors_sql.py: not 6 tab-separated fields: %r" % line)
        name, method, field, encoding, xxh3, sha256 = fields
        out.append("INSERT INTO t_vectors.expected VALUES (%s, %s, %s);" % (quoted(name), quoted(xxh3),
                                                                            quoted(sha256)))
        invalid = encoding.startswith("08")
        typed = typed_values(method, input_bytes(field), invalid)
        if isinstance(typed, str):
            out.append("INSERT INTO t_vectors.skipped VALUES (%s, %s);" % (quoted(name), quoted(typed)))
            continue
        for mariadb_type, value in typed:
            rows_of_type.setdefault(mariadb_type, []).append((name, value, invalid))
    enums = 0
    for mariadb_type, rows in rows_of_type.items():
        label, table = mariadb_type, table_name(mariadb_type)
        if mariadb_type.startswith("ENUM("):  # one table per label list
            enums += 1
            label, table = "ENUM", "v_enum_%d" % enums
        out.append("CREATE TABLE t_vectors.%s (name VARCHAR(64) PRIMARY KEY, v %s) CHARACTER SET utf8mb4;"
                   % (table, mariadb_type))
        for name, value, invalid in rows:
            if invalid:
                out.append("SET SESSION sql_mode = '%s';" % PERMISSIVE)
            out.append("INSERT INTO t_vectors.%s VALUES (%s, %s);" % (table, quoted(name), value))
            if invalid:
                out.append("SET SESSION sql_mode = DEFAULT;")
        for algorithm in ("xxh3", "sha256"):
            out.append("CALL t_vectors.check_column('%s', '%s', '%s');" % (table, label, algorithm))
    with open(sys.argv[2], "w", encoding="utf-8") as sql:
        sql.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
