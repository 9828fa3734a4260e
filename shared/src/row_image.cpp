#include "fingerprint/row_image.hpp"

#include "big_endian.hpp"
#include "json.hpp"
#include "fingerprint/utf8.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <new>

// As in row_hasher.cpp: xxhash compiled in, SHA-256's one-shot call.
#define XXH_INLINE_ALL
#include <xxhash.h>
#include <openssl/sha.h>

#include "fingerprint/no_database_headers.hpp"

namespace fingerprint {

namespace {

// Proleptic Gregorian civil date of a day count since 1970-01-01 (H. Hinnant's algorithm,
// the inverse of DaysSince2000 in temporal.cpp).
void CivilFromDays(std::int64_t days_since_1970, std::int64_t *year, unsigned *month, unsigned *day) {
	const std::int64_t z = days_since_1970 + 719468;
	const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const std::int64_t doe = z - era * 146097;
	const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const std::int64_t mp = (5 * doy + 2) / 153;
	*day = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
	*month = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
	*year = yoe + era * 400 + (*month <= 2 ? 1 : 0);
}

constexpr std::int64_t kDays1970To2000 = 10957;
constexpr std::int64_t kMicrosPerDay = 86400000000LL;

// "YYYY-MM-DD"; years outside 0..9999 as ISO 8601 expanded years ("+12345", "-0044").
void AppendDate(std::int64_t days_since_2000, std::string *out) {
	std::int64_t year;
	unsigned month, day;
	CivilFromDays(days_since_2000 + kDays1970To2000, &year, &month, &day);
	char text[48];
	int n;
	if (year >= 0 && year <= 9999)
		n = std::snprintf(text, sizeof text, "%04lld-%02u-%02u", static_cast<long long>(year), month, day);
	else
		n = std::snprintf(text, sizeof text, "%+05lld-%02u-%02u", static_cast<long long>(year), month, day);
	out->append(text, static_cast<std::size_t>(n));
}

// "HH:MM:SS" plus ".ffffff" when the microseconds are not zero; hours may exceed 23.
void AppendClock(std::uint64_t micros, std::string *out) {
	const std::uint64_t seconds = micros / 1000000;
	const unsigned fraction = static_cast<unsigned>(micros % 1000000);
	char text[48];
	int n =
	    std::snprintf(text, sizeof text, "%02llu:%02u:%02u", static_cast<unsigned long long>(seconds / 3600),
	                  static_cast<unsigned>(seconds / 60 % 60), static_cast<unsigned>(seconds % 60));
	if (fraction != 0)
		n += std::snprintf(text + n, sizeof text - static_cast<std::size_t>(n), ".%06u", fraction);
	out->append(text, static_cast<std::size_t>(n));
}

void AppendQuoted(const char *text, std::string *out) {
	out->push_back('"');
	out->append(text);
	out->push_back('"');
}

void AppendTimestamp(std::int64_t micros_since_2000, std::string *out) {
	// PostgreSQL's -infinity/infinity are INT64_MIN/MAX.
	if (micros_since_2000 == std::numeric_limits<std::int64_t>::min())
		return AppendQuoted("-infinity", out);
	if (micros_since_2000 == std::numeric_limits<std::int64_t>::max())
		return AppendQuoted("infinity", out);
	std::int64_t days = micros_since_2000 / kMicrosPerDay;
	std::int64_t rest = micros_since_2000 % kMicrosPerDay;
	if (rest < 0) {
		rest += kMicrosPerDay;
		--days;
	}
	out->push_back('"');
	AppendDate(days, out);
	out->push_back(' ');
	AppendClock(static_cast<std::uint64_t>(rest), out);
	out->push_back('"');
}

void AppendHexBytes(std::string_view bytes, std::string *out) {
	static constexpr char kHex[] = "0123456789abcdef";
	out->append("{\"$bytes\":\"");
	for (const char c : bytes) {
		const unsigned char u = static_cast<unsigned char>(c);
		out->push_back(kHex[u >> 4]);
		out->push_back(kHex[u & 0xf]);
	}
	out->append("\"}");
}

} // namespace

ImageReader::ImageReader(const void *data, std::size_t length) noexcept
    : data_(static_cast<const unsigned char *>(data)), length_(length), offset_(0), status_(Status::ok) {}

bool ImageReader::Next(ImageValue *out) noexcept {
	if (status_ != Status::ok || offset_ >= length_)
		return false;
	const std::size_t left = length_ - offset_ - 1;
	const unsigned char *payload = data_ + offset_ + 1;
	const auto fail = [this]() {
		status_ = Status::invalid_image;
		return false;
	};
	ImageValue value;
	std::size_t used = 0;
	switch (static_cast<Tag>(data_[offset_])) {
	case Tag::null:
		value.tag = Tag::null;
		break;
	case Tag::exact_number:
	case Tag::string:
	case Tag::json:
	case Tag::invalid_temporal: {
		if (left < 4)
			return fail();
		const std::uint32_t length = LoadBigEndian32(payload);
		if (left - 4 < length)
			return fail();
		value.tag = static_cast<Tag>(data_[offset_]);
		value.text = std::string_view(reinterpret_cast<const char *>(payload + 4), length);
		used = 4 + static_cast<std::size_t>(length);
		break;
	}
	case Tag::approx_number: {
		if (left < 8)
			return fail();
		const std::uint64_t bits = LoadBigEndian64(payload);
		std::memcpy(&value.approx, &bits, sizeof bits);
		value.tag = Tag::approx_number;
		used = 8;
		break;
	}
	case Tag::date:
		if (left < 4)
			return fail();
		value.tag = Tag::date;
		value.integer = static_cast<std::int32_t>(LoadBigEndian32(payload));
		used = 4;
		break;
	case Tag::timestamp:
	case Tag::time:
		if (left < 8)
			return fail();
		value.tag = static_cast<Tag>(data_[offset_]);
		value.integer = static_cast<std::int64_t>(LoadBigEndian64(payload));
		used = 8;
		break;
	default:
		return fail();
	}
	value.encoded = std::string_view(reinterpret_cast<const char *>(data_ + offset_), 1 + used);
	offset_ += 1 + used;
	*out = value;
	return true;
}

Status ReadImageValues(const void *data, std::size_t length, std::vector<ImageValue> *out) {
	out->clear();
	ImageReader reader(data, length);
	ImageValue value;
	while (reader.Next(&value))
		out->push_back(value);
	return reader.status();
}

Status CountImageValues(const void *data, std::size_t length, std::size_t *count) noexcept {
	ImageReader reader(data, length);
	ImageValue value;
	std::size_t n = 0;
	while (reader.Next(&value))
		++n;
	if (reader.status() != Status::ok)
		return reader.status();
	*count = n;
	return Status::ok;
}

// The one-shot hash of the bytes, which is what RowHasher's buffered and streamed hashing
// both give (row_image_test.cpp checks it against RowHasher), without a copy into one:
// the MariaDB UDF hashes every row's image here (mysql_udf/src/call_state.cpp). It stays
// apart from RowHasher::Finish's one-shot branch on purpose: alone in this file, the
// compiler specialises xxhash's 129-240-byte path to the default key, which the
// streaming digest in row_hasher.cpp prevents; defined there it cost ~11 instructions a
// row of fingerprint_agg (callgrind on bench/udf_rows, about 1 %).
Digest128 HashImage(Algorithm algorithm, const void *data, std::size_t length) noexcept {
	if (algorithm == Algorithm::sha256) {
		unsigned char full[SHA256_DIGEST_LENGTH];
		SHA256(static_cast<const unsigned char *>(data), length, full);
		return Digest128{LoadBigEndian64(full), LoadBigEndian64(full + 8)};
	}
	const XXH128_hash_t hash = XXH3_128bits(data, length);
	return Digest128{hash.high64, hash.low64};
}

void AppendValueJson(const ImageValue &value, std::string *out) {
	switch (value.tag) {
	case Tag::null:
		out->append("null");
		return;
	case Tag::exact_number:
		// Canonical decimals are valid JSON numbers; PostgreSQL's specials are not.
		if (value.text == "NaN" || value.text == "Infinity" || value.text == "-Infinity")
			AppendJsonString(value.text, out);
		else
			out->append(value.text);
		return;
	case Tag::approx_number: {
		if (std::isnan(value.approx))
			return AppendQuoted("NaN", out);
		if (std::isinf(value.approx))
			return AppendQuoted(value.approx > 0 ? "Infinity" : "-Infinity", out);
		char text[32];
		const auto result = std::to_chars(text, text + sizeof text, value.approx);
		out->append(text, static_cast<std::size_t>(result.ptr - text));
		return;
	}
	case Tag::string:
		if (IsValidUtf8(reinterpret_cast<const unsigned char *>(value.text.data()), value.text.size()))
			AppendJsonString(value.text, out);
		else
			AppendHexBytes(value.text, out);
		return;
	case Tag::date:
		if (value.integer == std::numeric_limits<std::int32_t>::min())
			return AppendQuoted("-infinity", out);
		if (value.integer == std::numeric_limits<std::int32_t>::max())
			return AppendQuoted("infinity", out);
		out->push_back('"');
		AppendDate(value.integer, out);
		out->push_back('"');
		return;
	case Tag::timestamp:
		return AppendTimestamp(value.integer, out);
	case Tag::time: {
		out->push_back('"');
		// Negative MySQL TIME durations; the magnitude of INT64_MIN does not fit int64.
		std::uint64_t magnitude = static_cast<std::uint64_t>(value.integer);
		if (value.integer < 0) {
			out->push_back('-');
			magnitude = 0 - magnitude;
		}
		AppendClock(magnitude, out);
		out->push_back('"');
		return;
	}
	case Tag::json:
		out->append(value.text);
		return;
	case Tag::invalid_temporal:
		AppendJsonString(value.text, out);
		return;
	}
}

Status RenderImageJson(const void *data, std::size_t length, const std::string_view *names,
                       std::size_t name_count, std::string *out) noexcept {
	try {
		out->clear();
		out->push_back(names != nullptr ? '{' : '[');
		ImageReader reader(data, length);
		ImageValue value;
		std::size_t index = 0;
		while (reader.Next(&value)) {
			if (names != nullptr && index >= name_count)
				return Status::invalid_image;
			if (index != 0)
				out->push_back(',');
			if (names != nullptr) {
				AppendJsonString(names[index], out);
				out->push_back(':');
			}
			AppendValueJson(value, out);
			++index;
		}
		if (reader.status() != Status::ok)
			return reader.status();
		if (names != nullptr && index != name_count)
			return Status::invalid_image;
		out->push_back(names != nullptr ? '}' : ']');
		return Status::ok;
	} catch (const std::bad_alloc &) {
		return Status::out_of_memory;
	}
}

} // namespace fingerprint
