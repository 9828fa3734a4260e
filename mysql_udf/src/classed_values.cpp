#include "classed_values.hpp"

#include "spec.hpp"

#include "fingerprint/utf8.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace fingerprint::udf {

namespace {

// Column names are at most 64 characters; an argument without an alias is named by its
// expression text, which can be long. Keep error strings well inside SIGNAL's 512.
constexpr std::size_t kMaxNameBytes = 192;

template <typename T> T ReadNumber(const char *value) {
	T number;
	std::memcpy(&number, value, sizeof number); // the server's long long / double slot
	return number;
}

// Cuts text to at most limit bytes without splitting a UTF-8 sequence.
std::string_view ClampUtf8(std::string_view text, std::size_t limit) {
	if (text.size() <= limit)
		return text;
	std::size_t end = limit;
	while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
		--end;
	return text.substr(0, end);
}

} // namespace

bool CheckClasses(std::string_view classes, char *bad) noexcept {
	for (const char letter : classes) {
		if (!IsClassLetter(letter)) {
			*bad = letter;
			return false;
		}
	}
	return true;
}

void CoerceClassedArgs(UDF_ARGS *args, unsigned first, std::string_view classes) noexcept {
	for (std::size_t i = 0; i < classes.size(); ++i)
		CoerceArg(args, first + static_cast<unsigned>(i), ClassArgKind(classes[i]));
}

namespace {

// One adder per class letter (the rules of docs/mysql.md).
Status AddSigned(RowHasher *hasher, const char *value, unsigned long) noexcept {
	hasher->AddInt64(ReadNumber<std::int64_t>(value));
	return Status::ok;
}

// BIGINT UNSIGNED arrives as a signed long long: its 64-bit pattern is the value.
Status AddUnsigned(RowHasher *hasher, const char *value, unsigned long) noexcept {
	hasher->AddUint64(ReadNumber<std::uint64_t>(value));
	return Status::ok;
}

Status AddDecimal(RowHasher *hasher, const char *value, unsigned long length) noexcept {
	return hasher->AddDecimalText(std::string_view(value, length));
}

Status AddReal(RowHasher *hasher, const char *value, unsigned long) noexcept {
	hasher->AddDouble(ReadNumber<double>(value));
	return Status::ok;
}

Status AddValidatedText(RowHasher *hasher, const char *value, unsigned long length) noexcept {
	return hasher->AddText(value, length, true);
}

Status AddValidatedChar(RowHasher *hasher, const char *value, unsigned long length) noexcept {
	return hasher->AddPaddedText(value, length, true);
}

// The procedures pass 'S' and 'C' for a column stored as utf8mb4 or utf8mb3, or
// CONVERTed to utf8mb4: the server has checked every such value's encoding (it refuses a
// malformed one when storing it, and CONVERT writes well-formed text), all but encoded
// surrogates, which MariaDB lets through (HasUtf8Surrogate). Looking for those alone
// gives the same verdict as IsValidUtf8 on such text, and the same bytes, without
// reading every byte twice. Not for ascii columns: MariaDB stores any byte there (X'E9'
// is accepted in strict mode), so they stay 's'/'c'.
Status AddCheckedText(RowHasher *hasher, const char *value, unsigned long length) noexcept {
	if (HasUtf8Surrogate(reinterpret_cast<const unsigned char *>(value), length))
		return Status::invalid_utf8;
	return hasher->AddText(value, length, false);
}

Status AddCheckedChar(RowHasher *hasher, const char *value, unsigned long length) noexcept {
	if (HasUtf8Surrogate(reinterpret_cast<const unsigned char *>(value), length))
		return Status::invalid_utf8;
	return hasher->AddPaddedText(value, length, false);
}

Status AddBinary(RowHasher *hasher, const char *value, unsigned long length) noexcept {
	return hasher->AddBytes(value, length);
}

Status AddDate(RowHasher *hasher, const char *value, unsigned long length) noexcept {
	return hasher->AddDateText(std::string_view(value, length));
}

Status AddDatetime(RowHasher *hasher, const char *value, unsigned long length) noexcept {
	return hasher->AddTimestampText(std::string_view(value, length));
}

Status AddTime(RowHasher *hasher, const char *value, unsigned long length) noexcept {
	return hasher->AddTimeText(std::string_view(value, length));
}

Status AddJson(RowHasher *hasher, const char *value, unsigned long length) noexcept {
	return hasher->AddJsonText(std::string_view(value, length));
}

Status AddUuid(RowHasher *hasher, const char *value, unsigned long length) noexcept {
	return hasher->AddUuidText(std::string_view(value, length));
}

Status AddUnknown(RowHasher *, const char *, unsigned long) noexcept {
	return Status::invalid_decimal; // unreachable: init accepted only known letters
}

// A class letter's two ways into the core: its adder, and its image writer in
// fingerprint_agg's batch loop (WriterKind::none for j, t and U, which have none).
struct ClassRoutes {
	ValueAdder adder;
	WriterKind writer;
};

ClassRoutes RoutesOf(char letter) noexcept {
	switch (letter) {
	case 'i':
		return {AddSigned, WriterKind::signed_integer};
	case 'u':
		return {AddUnsigned, WriterKind::unsigned_integer};
	case 'd':
		return {AddDecimal, WriterKind::decimal};
	case 'f':
		return {AddReal, WriterKind::real};
	case 's':
		return {AddValidatedText, WriterKind::text};
	case 'c':
		return {AddValidatedChar, WriterKind::padded_text};
	case 'S':
		return {AddCheckedText, WriterKind::checked_text};
	case 'C':
		return {AddCheckedChar, WriterKind::checked_padded};
	case 'b':
		return {AddBinary, WriterKind::bytes};
	case 'D':
		return {AddDate, WriterKind::date};
	case 'T':
		return {AddDatetime, WriterKind::timestamp};
	case 't':
		return {AddTime, WriterKind::none};
	case 'j':
		return {AddJson, WriterKind::none};
	case 'U':
		return {AddUuid, WriterKind::none};
	default:
		return {AddUnknown, WriterKind::none};
	}
}

} // namespace

ValueAdder AdderOf(char letter) noexcept {
	return RoutesOf(letter).adder;
}

WriterKind ImageWriterOf(char letter) noexcept {
	return RoutesOf(letter).writer;
}

Status AddClassedValue(RowHasher *hasher, char letter, const char *value, unsigned long length) noexcept {
	return AdderOf(letter)(hasher, value, length);
}

std::size_t FormatColumnError(char *error, std::size_t size, const UDF_ARGS *args, unsigned arg, char letter,
                              Status status) noexcept {
	const std::string_view full_name = ArgName(args, arg);
	const std::string_view name = ClampUtf8(full_name, kMaxNameBytes);
	const char *ellipsis = name.size() < full_name.size() ? "..." : "";
	int n;
	if (name.empty())
		n = std::snprintf(error, size, "error: argument %u (class '%c'): %s", arg + 1, letter,
		                  StatusMessage(status));
	else
		n = std::snprintf(error, size, "error: column %.*s%s (argument %u, class '%c'): %s",
		                  static_cast<int>(name.size()), name.data(), ellipsis, arg + 1, letter,
		                  StatusMessage(status));
	return n < 0 || size == 0 ? 0 : std::min(static_cast<std::size_t>(n), size - 1);
}

bool HashClassedArgs(RowHasher *hasher, const UDF_ARGS *args, unsigned first, std::string_view classes,
                     char *error, std::size_t error_size, std::size_t *error_length) noexcept {
	const ArgsView view = ViewArgs(args);
	for (std::size_t i = 0; i < classes.size(); ++i) {
		const unsigned arg = first + static_cast<unsigned>(i);
		const char *value = view.values[arg];
		if (value == nullptr) { // SQL NULL; '' is a non-null pointer of length 0
			hasher->AddNull();
			continue;
		}
		const Status status = AddClassedValue(hasher, classes[i], value, view.lengths[arg]);
		if (status == Status::ok)
			continue;
		*error_length = FormatColumnError(error, error_size, args, arg, classes[i], status);
		hasher->Reset();
		return false;
	}
	return true;
}

bool HashPlannedArgs(RowHasher *hasher, const UDF_ARGS *args, unsigned first, const ValueAdder *adders,
                     std::string_view classes, char *error, std::size_t error_size,
                     std::size_t *error_length) noexcept {
	const ArgsView view = ViewArgs(args);
	const char *const *values = view.values + first;
	const unsigned long *lengths = view.lengths + first;
	for (std::size_t i = 0; i < classes.size(); ++i) {
		if (values[i] == nullptr) { // SQL NULL; '' is a non-null pointer of length 0
			hasher->AddNull();
			continue;
		}
		const Status status = adders[i](hasher, values[i], lengths[i]);
		if (status == Status::ok)
			continue;
		const unsigned arg = first + static_cast<unsigned>(i);
		*error_length = FormatColumnError(error, error_size, args, arg, classes[i], status);
		hasher->Reset();
		return false;
	}
	return true;
}

} // namespace fingerprint::udf
