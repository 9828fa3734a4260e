// The value writers (value_writer.hpp) against RowHasher, which defines the bytes: over
// many generated values each writer either writes exactly the image RowHasher writes or
// declines (returns 0), and it declines only what it must (texts not of MariaDB's shape,
// zero dates, values the core refuses). Inputs sit in buffers followed by stray bytes,
// since the writers read whole words past a value's end.
#include "fingerprint/row_hasher.hpp"
#include "fingerprint/row_image.hpp"
#include "fingerprint/utf8.hpp"
#include "fingerprint/value_writer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <random>
#include <string>

namespace fingerprint {
namespace {

void Collect(void *context, const unsigned char *data, std::size_t length) noexcept {
	static_cast<std::string *>(context)->append(reinterpret_cast<const char *>(data), length);
}

// What RowHasher writes for one value, and the status of its Add*.
struct Reference {
	Status status;
	std::string image;
};

Reference ReferenceOf(const std::function<Status(RowHasher &)> &add) {
	Reference out{Status::ok, {}};
	RowHasher hasher;
	hasher.SetSink(Collect, &out.image);
	out.status = add(hasher);
	hasher.Finish();
	return out;
}

// What a text writer writes for text (placed before `stray` bytes), "" when it declines.
using TextWriter = std::size_t (*)(const char *, std::size_t, unsigned char *) noexcept;
std::string Written(TextWriter writer, const std::string &text, char stray) {
	std::string input = text + std::string(kValueWriterSlack, stray);
	std::string out(text.size() + kIntegerValueRoom + kValueWriterSlack, '\x5a');
	const std::size_t n = writer(input.data(), text.size(), reinterpret_cast<unsigned char *>(&out[0]));
	return out.substr(0, n);
}

std::string WrittenNumber(std::size_t (*write)(unsigned char *)) {
	std::string out(kIntegerValueRoom + kValueWriterSlack, '\x5a');
	return out.substr(0, write(reinterpret_cast<unsigned char *>(&out[0])));
}

const char kStrays[] = {'0', '9', '.', '-', '\xed', '\xa0', ' ', '\0'};

TEST(ValueWriter, IntegersAsRowHasher) {
	std::mt19937_64 random(12);
	std::vector<std::uint64_t> values = {0,
	                                     1,
	                                     9,
	                                     10,
	                                     99,
	                                     100,
	                                     999,
	                                     1000,
	                                     9999,
	                                     10000,
	                                     99999999,
	                                     100000000,
	                                     std::numeric_limits<std::uint64_t>::max()};
	for (std::uint64_t p = 1; p <= 1000000000000000000ULL; p *= 10) {
		values.push_back(p - 1);
		values.push_back(p);
		values.push_back(p + 1);
	}
	for (int i = 0; i < 200000; ++i)
		values.push_back(random() >> (random() % 64));
	for (const std::uint64_t u : values) {
		static std::uint64_t value;
		value = u;
		EXPECT_EQ(WrittenNumber([](unsigned char *out) { return WriteUint64Value(value, out); }),
		          ReferenceOf([](RowHasher &h) {
			          h.AddUint64(value);
			          return Status::ok;
		          }).image)
		    << u;
		for (const std::int64_t s : {static_cast<std::int64_t>(u), static_cast<std::int64_t>(0 - u)}) {
			static std::int64_t signed_value;
			signed_value = s;
			ASSERT_EQ(WrittenNumber([](unsigned char *out) { return WriteInt64Value(signed_value, out); }),
			          ReferenceOf([](RowHasher &h) {
				          h.AddInt64(signed_value);
				          return Status::ok;
			          }).image)
			    << s;
		}
	}
}

TEST(ValueWriter, DoublesAsRowHasher) {
	std::mt19937_64 random(5);
	std::vector<double> values = {0.0,
	                              -0.0,
	                              1.5,
	                              -1e300,
	                              std::nan(""),
	                              -std::nan(""),
	                              std::numeric_limits<double>::infinity(),
	                              -std::numeric_limits<double>::infinity(),
	                              std::numeric_limits<double>::denorm_min()};
	for (int i = 0; i < 1000; ++i) {
		const std::uint64_t bits = random();
		double d;
		std::memcpy(&d, &bits, sizeof d);
		values.push_back(d);
	}
	for (const double d : values) {
		static double value;
		value = d;
		EXPECT_EQ(WrittenNumber([](unsigned char *out) { return WriteDoubleValue(value, out); }),
		          ReferenceOf([](RowHasher &h) {
			          h.AddDouble(value);
			          return Status::ok;
		          }).image);
	}
}

// A random text from pieces that make decimal texts and near misses.
std::string DecimalCandidate(std::mt19937 &random) {
	static const char kBytes[] = "00000123456789--..+eE x";
	std::string text;
	switch (random() % 3) {
	case 0: { // MariaDB's shape: [-](0|[1-9]digits)[.digits]
		if (random() % 3 == 0)
			text += '-';
		const unsigned integer = random() % 20;
		text += integer == 0 ? '0' : static_cast<char>('1' + random() % 9);
		for (unsigned i = 1; i < integer; ++i)
			text += static_cast<char>(random() % 3 == 0 ? '0' : '0' + random() % 10);
		if (random() % 4 != 0) {
			text += '.';
			const unsigned fraction = 1 + random() % 30;
			for (unsigned i = 0; i < fraction; ++i)
				text += static_cast<char>(random() % 2 == 0 ? '0' : '0' + random() % 10);
		}
		break;
	}
	default: {
		const unsigned length = random() % 20;
		for (unsigned i = 0; i < length; ++i)
			text += kBytes[random() % (sizeof kBytes - 1)];
	}
	}
	return text;
}

// MariaDB's DECIMAL shape, which the writer must take.
bool IsMariaDbDecimal(const std::string &text) {
	std::size_t pos = !text.empty() && text[0] == '-' ? 1 : 0;
	const std::size_t begin = pos;
	while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])))
		++pos;
	if (pos == begin || (text[begin] == '0' && pos - begin > 1))
		return false;
	if (pos == text.size())
		return true;
	if (text[pos] != '.' || pos + 1 == text.size())
		return false;
	for (++pos; pos < text.size(); ++pos)
		if (!std::isdigit(static_cast<unsigned char>(text[pos])))
			return false;
	return true;
}

TEST(ValueWriter, DecimalTextAsRowHasher) {
	std::mt19937 random(2026);
	std::vector<std::string> texts = {"",
	                                  "-",
	                                  ".",
	                                  "0",
	                                  "-0",
	                                  "-0.000",
	                                  "0.0",
	                                  "00",
	                                  "01.5",
	                                  "1.",
	                                  ".5",
	                                  "-.5",
	                                  "+1",
	                                  "1e5",
	                                  "1.50",
	                                  "10.00",
	                                  "-10.10",
	                                  "123456789012345.6",
	                                  "1234567890123456",
	                                  "12345678901234567",
	                                  "9999999999.99",
	                                  "1.2.3",
	                                  "1-2"};
	for (int i = 0; i < 300000; ++i)
		texts.push_back(DecimalCandidate(random));
	for (const std::string &text : texts) {
		const Reference reference = ReferenceOf([&](RowHasher &h) { return h.AddDecimalText(text); });
		const std::string written = Written(WriteUdfDecimalValue, text, kStrays[random() % sizeof kStrays]);
		if (!written.empty()) {
			ASSERT_EQ(reference.status, Status::ok) << text;
			ASSERT_EQ(written, reference.image) << text;
		}
		ASSERT_EQ(!written.empty(), IsMariaDbDecimal(text)) << text;
	}
}

TEST(ValueWriter, CheckedTextAsRowHasher) {
	std::mt19937 random(7);
	static const unsigned char kBytes[] = {'a', ' ', 0xC3, 0xA9, 0xED, 0x9F, 0xA0, 0xBF, 0x80, 0x00, 'z'};
	for (int i = 0; i < 100000; ++i) {
		std::string text;
		const unsigned length = random() % 80;
		for (unsigned k = 0; k < length; ++k)
			text +=
			    static_cast<char>(random() % 4 == 0 ? kBytes[random() % sizeof kBytes] : 'a' + random() % 26);
		const bool surrogate =
		    HasUtf8Surrogate(reinterpret_cast<const unsigned char *>(text.data()), text.size());
		const std::string written = Written(WriteCheckedTextValue, text, kStrays[random() % sizeof kStrays]);
		ASSERT_EQ(written.empty(), surrogate) << i;
		if (!surrogate) {
			ASSERT_EQ(written, ReferenceOf([&](RowHasher &h) {
				                   return h.AddText(text.data(), text.size(), false);
			                   }).image);
			ASSERT_EQ(Written(WriteStringValue, text, 'x'), written);
		}
	}
}

// Random timestamps with every field in and out of range, fractions of 0..7 digits, and
// a byte here and there replaced (temporal_test.cpp's generator).
std::string TimestampCandidate(std::mt19937 &random) {
	const auto two = [&](unsigned limit) {
		const unsigned v = random() % limit;
		return std::string{static_cast<char>('0' + v / 10), static_cast<char>('0' + v % 10)};
	};
	static const char noise[] = {' ', '-', ':', '.', 'T', 'a', '/', '\x80', '\xff', '0', '9'};
	std::string text = std::to_string(1000 + random() % 9000) + "-" + two(14) + "-" + two(33) + " " +
	                   two(26) + ":" + two(62) + ":" + two(62);
	if (random() % 4 == 0)
		text.replace(0, 4, "0000");
	const unsigned digits = random() % 8;
	if (digits > 0 || random() % 8 == 0)
		text += '.';
	for (unsigned i = 0; i < digits; ++i)
		text += static_cast<char>('0' + random() % 10);
	if (random() % 3 == 0)
		text[random() % text.size()] = noise[random() % sizeof noise];
	if (random() % 20 == 0)
		text.pop_back();
	return text;
}

TEST(ValueWriter, TimestampTextAsRowHasher) {
	std::mt19937 random(99);
	std::vector<std::string> texts = {"0000-00-00 00:00:00",         "2024-02-29 23:59:60",
	                                  "2023-02-29 00:00:00",         "2024-02-29 23:59:59.999999",
	                                  "9999-12-31 23:59:59.9",       "0001-01-01 00:00:00",
	                                  "2024-01-02T03:04:05",         "2024-01-02 03:04:05.",
	                                  "2024-01-02 03:04:05.1234567", "-2024-01-02 03:04:05"};
	for (unsigned digits = 0; digits <= 6; ++digits)
		texts.push_back("2026-12-05 20:08:13" +
		                (digits == 0 ? std::string() : "." + std::string(digits, '7')));
	for (int i = 0; i < 300000; ++i)
		texts.push_back(TimestampCandidate(random));
	std::size_t taken = 0;
	for (const std::string &text : texts) {
		const Reference reference = ReferenceOf([&](RowHasher &h) { return h.AddTimestampText(text); });
		const std::string written = Written(WriteUdfTimestampValue, text, kStrays[random() % sizeof kStrays]);
		const bool mariadb_shape =
		    text.size() >= 19 && text[10] == ' ' && text.size() != 20 && text.size() <= 26;
		// Taken exactly when RowHasher hashes an instant (not a refusal, not a zero date).
		const bool instant = reference.status == Status::ok && reference.image[0] == '\x05';
		if (!written.empty()) {
			ASSERT_EQ(written, reference.image) << text;
			++taken;
		}
		if (mariadb_shape) {
			ASSERT_EQ(!written.empty(), instant) << text;
		}
	}
	EXPECT_GT(taken, texts.size() / 10);
}

TEST(ValueWriter, DateTextAsRowHasher) {
	std::mt19937 random(4);
	for (int i = 0; i < 50000; ++i) {
		std::string text = TimestampCandidate(random).substr(0, 10 + random() % 2 * (random() % 3));
		const Reference reference = ReferenceOf([&](RowHasher &h) { return h.AddDateText(text); });
		const std::string written = Written(WriteUdfDateValue, text, kStrays[random() % sizeof kStrays]);
		const bool day = reference.status == Status::ok && reference.image[0] == '\x04';
		ASSERT_EQ(!written.empty(), day) << text;
		if (day) {
			ASSERT_EQ(written, reference.image) << text;
		}
	}
}

// HashImage, which the UDF's batch loop hashes every image with, gives RowHasher's digest
// for short rows (hashed from its buffer) and long ones (streamed), with either algorithm.
TEST(ValueWriter, HashImageIsRowHashersDigest) {
	for (const Algorithm algorithm : {Algorithm::xxh3, Algorithm::sha256}) {
		for (const std::size_t length : {0, 1, 100, 140, 240, 2047, 2048, 5000, 100000}) {
			const std::string text(length, 'q');
			std::string image;
			RowHasher hasher(algorithm);
			hasher.SetSink(Collect, &image);
			hasher.AddInt64(7);
			ASSERT_EQ(hasher.AddText(text.data(), text.size(), true), Status::ok);
			const Digest128 digest = hasher.Finish();
			EXPECT_EQ(HashImage(algorithm, image.data(), image.size()), digest) << length;
		}
	}
}

} // namespace
} // namespace fingerprint
