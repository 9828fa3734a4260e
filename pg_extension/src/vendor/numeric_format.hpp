/*
 * The on-disk layout of PostgreSQL's numeric, copied from the PostgreSQL 15 source
 * file src/backend/utils/adt/numeric.c (PostgreSQL Licence; Portions Copyright (c)
 * 1996-2022, PostgreSQL Global Development Group). numeric.c keeps these definitions
 * private, but they describe the stored format, which pg_upgrade carries over
 * unchanged between major versions, so reading them here is stable.
 *
 * The value after the varlena header starts with a 16-bit header word:
 *   short form (flag bits 10):   sign 0x2000, display scale 0x1F80, weight 0x007F
 *                                (0x0040 is the weight's sign), then the digits;
 *   long form (flag bits 00/01): sign (0x4000 = negative) + display scale 0x3FFF,
 *                                then an int16 weight, then the digits;
 *   special (flag bits 11):      0xC000 NaN, 0xD000 +Infinity, 0xF000 -Infinity.
 * Digits are int16 in base 10000 (NBASE), the first weighted NBASE^weight, with no
 * leading or trailing zero digits; zero has no digits at all.
 */
#pragma once

#define NUMERIC_SIGN_MASK 0xC000
#define NUMERIC_POS 0x0000
#define NUMERIC_NEG 0x4000
#define NUMERIC_SHORT 0x8000
#define NUMERIC_SPECIAL 0xC000

#define NUMERIC_EXT_SIGN_MASK 0xF000 /* high bits plus NaN/Inf flag bits */
#define NUMERIC_NAN 0xC000
#define NUMERIC_PINF 0xD000
#define NUMERIC_NINF 0xF000

#define NUMERIC_SHORT_SIGN_MASK 0x2000
#define NUMERIC_SHORT_WEIGHT_SIGN_MASK 0x0040
#define NUMERIC_SHORT_WEIGHT_MASK 0x003F

/* Header word is short (or special) when the high bit is set. */
#define NUMERIC_HEADER_IS_SHORT(header) (((header)&0x8000) != 0)

#define NBASE 10000
#define DEC_DIGITS 4
