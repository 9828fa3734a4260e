// numeric, read from its stored form (layout in vendor/numeric_format.hpp): the base-10000
// digits go to the core as they are, never through numeric_out.
#include "pg_export.hpp"

extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
}

#include "numeric_text.hpp"
#include "row_cache.hpp"
#include "value_encoders.hpp"
#include "vendor/numeric_format.hpp"

#include "fingerprint/decimal_text.hpp"

namespace fingerprint_pg {

namespace {

enum class NumericClass { finite, nan, positive_infinity, negative_infinity };

struct NumericParts {
	NumericClass kind;
	bool negative;
	int weight;
	int ndigits;
	const char *digit_bytes; // ndigits int16 values, possibly unaligned
};

// Decodes the bytes after the varlena header (VARDATA_ANY, VARSIZE_ANY_EXHDR). Packed
// (1-byte header) values are not aligned, so every field is read with memcpy.
NumericParts DecodeNumeric(const char *data, size_t length) {
	NumericParts parts{NumericClass::finite, false, 0, 0, data};
	uint16 header;
	memcpy(&header, data, sizeof header);
	if ((header & NUMERIC_SIGN_MASK) == NUMERIC_SPECIAL) {
		const uint16 flags = header & NUMERIC_EXT_SIGN_MASK;
		parts.kind = flags == NUMERIC_PINF   ? NumericClass::positive_infinity
		             : flags == NUMERIC_NINF ? NumericClass::negative_infinity
		                                     : NumericClass::nan;
		return parts;
	}
	size_t header_size;
	if (NUMERIC_HEADER_IS_SHORT(header)) {
		parts.negative = (header & NUMERIC_SHORT_SIGN_MASK) != 0;
		parts.weight = (header & NUMERIC_SHORT_WEIGHT_SIGN_MASK ? ~NUMERIC_SHORT_WEIGHT_MASK : 0) |
		               (header & NUMERIC_SHORT_WEIGHT_MASK);
		header_size = sizeof(uint16);
	} else {
		int16 weight;
		memcpy(&weight, data + sizeof(uint16), sizeof weight);
		parts.negative = (header & NUMERIC_SIGN_MASK) == NUMERIC_NEG;
		parts.weight = weight;
		header_size = sizeof(uint16) + sizeof(int16);
	}
	parts.ndigits = (int)((length - header_size) / sizeof(int16));
	parts.digit_bytes = data + header_size;
	return parts;
}

// The digits as an aligned int16 array: in place when aligned, otherwise copied into
// `small` (32 digits) or into palloc'd memory, which the caller frees when != small.
const int16 *AlignedDigits(const NumericParts &parts, int16 *small) {
	if (reinterpret_cast<uintptr_t>(parts.digit_bytes) % alignof(int16) == 0)
		return reinterpret_cast<const int16 *>(parts.digit_bytes);
	// Unaligned digits (a short varlena inside a tuple, so nearly every stored numeric):
	// copy them out first. A few digits are copied one load each, without the call to
	// the library's memcpy that a copy of variable length costs.
	if (parts.ndigits <= 32) {
		for (int i = 0; i < parts.ndigits; i++)
			memcpy(&small[i], parts.digit_bytes + sizeof(int16) * (size_t)i, sizeof(int16));
		return small;
	}
	int16 *digits = (int16 *)palloc(sizeof(int16) * (size_t)parts.ndigits);
	memcpy(digits, parts.digit_bytes, sizeof(int16) * (size_t)parts.ndigits);
	return digits;
}

void FreeDigits(const int16 *digits, const NumericParts &parts, const int16 *small) {
	if (digits != small && digits != reinterpret_cast<const int16 *>(parts.digit_bytes))
		pfree(const_cast<int16 *>(digits));
}

void AddNumeric(const char *data, size_t length, fingerprint::RowHasher *hasher) {
	const NumericParts parts = DecodeNumeric(data, length);
	switch (parts.kind) {
	case NumericClass::nan:
		hasher->AddNumericSpecial(fingerprint::NumericSpecial::nan);
		return;
	case NumericClass::positive_infinity:
		hasher->AddNumericSpecial(fingerprint::NumericSpecial::positive_infinity);
		return;
	case NumericClass::negative_infinity:
		hasher->AddNumericSpecial(fingerprint::NumericSpecial::negative_infinity);
		return;
	case NumericClass::finite:
		break;
	}
	int16 small[32];
	const int16 *digits = AlignedDigits(parts, small);
	hasher->AddDecimalBase10000(parts.negative, parts.weight, digits, parts.ndigits);
	FreeDigits(digits, parts, small);
}

} // namespace

void AddNumericBytes(const char *data, size_t length, fingerprint::RowHasher *hasher) {
	AddNumeric(data, length, hasher);
}

void EncodeNumeric(const RowCache *, int, Datum value, fingerprint::RowHasher *hasher) {
	const VarlenaValue number = OpenVarlena(value);
	AddNumeric(number.data, number.length, hasher);
	CloseVarlena(number);
}

void AppendNumericText(StringInfo out, const char *data, size_t length) {
	const NumericParts parts = DecodeNumeric(data, length);
	if (parts.kind != NumericClass::finite) {
		appendStringInfoChar(out, '0');
		return;
	}
	int16 small[32];
	const int16 *digits = AlignedDigits(parts, small);
	const size_t needed =
	    fingerprint::FormatDecimalBase10000(parts.negative, parts.weight, digits, parts.ndigits, nullptr, 0);
	enlargeStringInfo(out, (int)needed);
	fingerprint::FormatDecimalBase10000(parts.negative, parts.weight, digits, parts.ndigits,
	                                    out->data + out->len, needed);
	out->len += (int)needed;
	out->data[out->len] = '\0';
	FreeDigits(digits, parts, small);
}

} // namespace fingerprint_pg
