// Encoders for values read straight from the Datum: integers, oid, boolean, floats, uuid,
// dates, timestamps, times (binary values, never output text), and bit strings.
#include "pg_export.hpp"

extern "C" {
#include "postgres.h"
#include "fmgr.h"
#include "utils/date.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"
}

#include "row_cache.hpp"
#include "value_encoders.hpp"

namespace fingerprint_pg {

void EncodeInt2(const RowCache *, int, Datum value, fingerprint::RowHasher *hasher) {
	hasher->AddInt64(DatumGetInt16(value));
}

void EncodeInt4(const RowCache *, int, Datum value, fingerprint::RowHasher *hasher) {
	hasher->AddInt64(DatumGetInt32(value));
}

void EncodeInt8(const RowCache *, int, Datum value, fingerprint::RowHasher *hasher) {
	hasher->AddInt64(DatumGetInt64(value));
}

void EncodeOid(const RowCache *, int, Datum value, fingerprint::RowHasher *hasher) {
	hasher->AddUint64(DatumGetObjectId(value));
}

void EncodeBool(const RowCache *, int, Datum value, fingerprint::RowHasher *hasher) {
	hasher->AddBool(DatumGetBool(value));
}

void EncodeFloat4(const RowCache *, int, Datum value, fingerprint::RowHasher *hasher) {
	hasher->AddFloat(DatumGetFloat4(value));
}

void EncodeFloat8(const RowCache *, int, Datum value, fingerprint::RowHasher *hasher) {
	hasher->AddDouble(DatumGetFloat8(value));
}

void EncodeUuid(const RowCache *, int, Datum value, fingerprint::RowHasher *hasher) {
	hasher->AddUuid(DatumGetUUIDP(value)->data);
}

void EncodeDate(const RowCache *, int, Datum value, fingerprint::RowHasher *hasher) {
	hasher->AddDateDays(DatumGetDateADT(value));
}

void EncodeTimestamp(const RowCache *, int, Datum value, fingerprint::RowHasher *hasher) {
	hasher->AddTimestampMicros(DatumGetTimestamp(value));
}

void EncodeTime(const RowCache *, int, Datum value, fingerprint::RowHasher *hasher) {
	hasher->AddTimeMicros(DatumGetTimeADT(value));
}

void EncodeBitString(const RowCache *cache, int column, Datum value, fingerprint::RowHasher *hasher) {
	const VarlenaValue bits = OpenVarlena(value);
	int32 bit_count;
	memcpy(&bit_count, bits.data, sizeof bit_count);
	if (bit_count > 64)
		ReportValueError(cache, column, ERRCODE_FEATURE_NOT_SUPPORTED,
		                 psprintf("The bit string has %d bits; at most 64 are supported.", bit_count));
	const unsigned char *bytes = reinterpret_cast<const unsigned char *>(bits.data + sizeof(int32));
	uint64 number = 0;
	for (int i = 0; i < bit_count; i++)
		number = (number << 1) | ((bytes[i / 8] >> (7 - i % 8)) & 1);
	CloseVarlena(bits);
	hasher->AddUint64(number);
}

} // namespace fingerprint_pg
