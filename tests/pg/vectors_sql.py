#!/usr/bin/env python3
"""Writes the known answers of tests/core/vectors/encoding.tsv as SQL for the pg_regress
test `vectors` (tests/pg/sql/vectors.sql), so that no answer is copied by hand.

Every vector PostgreSQL can hold becomes a typed literal in each PostgreSQL type that
holds it (an integer as smallint, integer, bigint, numeric, oid and bit(64) where it
fits), with row_fingerprint of ROW(literal) in both algorithms beside the file's
fingerprints (table vector_results). Every other vector is listed with the reason it is
left out (table vector_skipped), so none disappears silently.

    vectors_sql.py encoding.tsv out.sql
"""
import decimal
import sys

DAY_MICROS = 86_400_000_000
INT16 = (-(2**15), 2**15 - 1)
INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)
OID = (0, 2**32 - 1)


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


def text_literal(data):
    """A text expression with exactly these bytes (UTF-8 in a UTF8 database)."""
    if all(0x20 <= b < 0x7F for b in data):
        return "'" + data.decode("ascii").replace("'", "''") + "'"
    return "convert_from('\\x" + data.hex() + "'::bytea, 'UTF8')"


def fits(value, bounds):
    return bounds[0] <= value <= bounds[1]


def integer_types(value):
    """An exact integer in every type that holds it (bit(64): its unsigned bits)."""
    typed = [(name, "'%d'::%s" % (value, name)) for name, bounds in
             (("smallint", INT16), ("integer", INT32), ("bigint", INT64), ("oid", OID))
             if fits(value, bounds)]
    typed.append(("numeric", "'%d'::numeric" % value))
    if 0 <= value < 2**64:
        typed.append(("bit(64)", "B'%s'" % format(value, "064b")))
    return typed


def base10000_numeric(spec):
    """+;weight;d1,d2,...: numeric's base-10000 digits, the first weighted 10000^weight."""
    sign, weight, digits = spec.split(";")
    decimal.getcontext().prec = 2000
    value = decimal.Decimal(0)
    for i, digit in enumerate(d for d in digits.split(",") if d):
        value += decimal.Decimal(int(digit)).scaleb(4 * (int(weight) - i))
    text = format(-value if sign == "-" else value, "f")
    return [("numeric", "'%s'::numeric" % text)]


def float_literal(text, type_name):
    special = {"nan": "'NaN'", "-nan": "-'NaN'", "inf": "'Infinity'", "-inf": "'-Infinity'"}
    if text.lower() in special:
        literal = special[text.lower()]
        # -'NaN'::float8 flips the sign bit: the core must still see one NaN.
        return [(type_name, ("-('NaN'::%s)" % type_name) if literal.startswith("-'N")
                 else "%s::%s" % (literal, type_name))]
    return [(type_name, "'%s'::%s" % (text, type_name))]


def date_days(days):
    if days == INT32[1]:
        return [("date", "'infinity'::date")]
    if days == INT32[0]:
        return [("date", "'-infinity'::date")]
    return [("date", "('2000-01-01'::date + %d)" % days)]


def timestamp_micros(micros):
    if micros == INT64[0]:
        return [("timestamp", "'-infinity'::timestamp")]
    if micros == INT64[1]:
        return [("timestamp", "'infinity'::timestamp")]
    # Whole days and the rest: each product is exact in interval arithmetic.
    days, rest = divmod(micros, DAY_MICROS)
    return [("timestamp", "('2000-01-01'::timestamp + %d * interval '1 day' + %d * interval '1 microsecond')"
             % (days, rest))]


def time_types(text):
    hours = text.split(":")[0]
    if hours.startswith("-") or int(hours) > 24:
        return "PostgreSQL time holds 00:00:00 to 24:00:00 only"
    return [("time", "'%s'::time" % text)]


def typed_expressions(name, method, data, encoding):
    """[(PostgreSQL type, SQL expression)], or the reason PostgreSQL cannot hold the vector."""
    text = data.decode("utf-8", errors="replace")
    if encoding.startswith("08"):
        return "an invalid date or time (tag 08), which PostgreSQL never stores"
    if method == "null":
        return [("integer", "NULL::integer"), ("text", "NULL::text")]
    if method in ("int64", "uint64"):
        return integer_types(int(text))
    if method == "bool":
        return [("boolean", "true" if text == "1" else "false")]
    if method == "decimal_text":
        return [("numeric", "'%s'::numeric" % text)]
    if method == "base10000":
        return base10000_numeric(text)
    if method == "numeric_special":
        spelled = {"nan": "NaN", "+inf": "Infinity", "-inf": "-Infinity"}[text]
        return [("numeric", "'%s'::numeric" % spelled)]
    if method == "double":
        return float_literal(text, "float8")
    if method == "float":
        return float_literal(text, "real")
    if method == "text":
        literal = text_literal(data)
        typed = [("text", literal + "::text"), ("varchar", literal + "::varchar")]
        if len(data) < 64:
            typed.append(("name", literal + "::name"))
        if literal.startswith("'"):
            typed.append(("unknown", literal))  # an untyped literal: ROW('abc')
        return typed
    if method == "bytes":
        return [("bytea", "'\\x%s'::bytea" % data.hex())]
    if method == "padded_text":
        literal = text_literal(data)
        return [("char(n)", "%s::char(%d)" % (literal, max(len(data), 1))), ("bpchar", literal + "::bpchar")]
    if method == "uuid_text":
        return [("uuid", "'%s'::uuid" % text)]
    if method == "date_text":
        return [("date", "'%s'::date" % text)]
    if method == "date_days":
        return date_days(int(text))
    if method == "timestamp_text":
        return [("timestamp", "'%s'::timestamp" % text), ("timestamptz", "'%s+00'::timestamptz" % text)]
    if method == "timestamp_micros":
        return timestamp_micros(int(text))
    if method == "time_text":
        return time_types(text)
    if method == "json":
        literal = text_literal(data)
        return [("json", "(%s)::json" % literal), ("jsonb", "(%s)::jsonb" % literal)]
    sys.exit("vectors_sql.py: vector %s: unknown method %s" % (name, method))


def quoted(text):
    return "'" + text.replace("'", "''") + "'"


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as vectors:
        lines = [line.rstrip("\n") for line in vectors if line.strip() and not line.startswith("#")]
    out = ["-- Generated by tests/pg/vectors_sql.py from tests/core/vectors/encoding.tsv; do not edit.",
           "CREATE TEMP TABLE vector_results (name text, pg_type text, expression text, algorithm text,",
           "                                  fp text, expected text);",
           "CREATE TEMP TABLE vector_skipped (name text, reason text);"]
    for line in lines:
        fields = line.split("\t")
        if len(fields) != 6:
            sys.exit("vectors_sql.py: not 6 tab-separated fields: %r" % line)
        name, method, field, encoding, xxh3, sha256 = fields
        typed = typed_expressions(name, method, input_bytes(field), encoding)
        if isinstance(typed, str):
            out.append("INSERT INTO vector_skipped VALUES (%s, %s);" % (quoted(name), quoted(typed)))
            continue
        for pg_type, expression in typed:
            out.append("INSERT INTO vector_results VALUES")
            out.append("    (%s, %s, %s, 'xxh3', row_fingerprint(ROW(%s)), %s)," % (
                quoted(name), quoted(pg_type), quoted(expression), expression, quoted(xxh3)))
            out.append("    (%s, %s, %s, 'sha256', row_fingerprint(ROW(%s), 'sha256'), %s);" % (
                quoted(name), quoted(pg_type), quoted(expression), expression, quoted(sha256)))
    with open(sys.argv[2], "w", encoding="utf-8") as sql:
        sql.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
