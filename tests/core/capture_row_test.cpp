// The capture row layout (fingerprint/capture_row.hpp): what WriteCaptureHeader writes
// SplitCaptureRow reads back, field by field, in both algorithms; rows that are not
// capture rows are refused, never split. The update row (two capture rows and the changed
// columns) is read by SplitCaptureValue, which reads a capture row as its own old side.
#include "fingerprint/capture_row.hpp"
#include "fingerprint/printable.hpp"
#include "fingerprint/row_hasher.hpp"
#include "fingerprint/row_image.hpp"

#include <gtest/gtest.h>

#include <string>

namespace fingerprint {
namespace {

void Collect(void *context, const unsigned char *data, std::size_t length) noexcept {
	static_cast<std::string *>(context)->append(reinterpret_cast<const char *>(data), length);
}

// A capture row as the trigger's UDF writes it: header, row image, key image.
std::string CaptureRow(Algorithm algorithm, Digest128 digest, const std::string &image,
                       const std::string &key) {
	std::string row(CaptureHeaderLength(algorithm), '?');
	WriteCaptureHeader(algorithm, digest, key.size(), &row[0]);
	return row + image + key;
}

std::string RowFingerprintText(Algorithm algorithm, Digest128 digest) {
	char text[kMaxPrintableLength];
	return std::string(text, FormatRowFingerprint(algorithm, digest, text));
}

TEST(CaptureRow, HeaderIsTheRowFingerprintThenEightHexDigits) {
	const Digest128 digest{0x0123456789abcdefULL, 0xfedcba9876543210ULL};
	EXPECT_EQ(CaptureHeaderLength(Algorithm::xxh3), std::string("fp1:xxh3:").size() + 32 + 8);
	EXPECT_EQ(CaptureHeaderLength(Algorithm::sha256), std::string("fp1:sha256:").size() + 32 + 8);
	EXPECT_EQ(CaptureRow(Algorithm::xxh3, digest, "", std::string(0x1a2b, 'k')).substr(0, 49),
	          "fp1:xxh3:0123456789abcdeffedcba9876543210"
	          "00001a2b");
	EXPECT_EQ(CaptureRow(Algorithm::sha256, digest, "", "").substr(0, 51),
	          "fp1:sha256:0123456789abcdeffedcba9876543210"
	          "00000000");
}

TEST(CaptureRow, LargestKeyLengthFitsTheHeader) {
	std::string header(CaptureHeaderLength(Algorithm::xxh3), '?');
	WriteCaptureHeader(Algorithm::xxh3, Digest128{0, 0}, kMaxCaptureKeyLength, &header[0]);
	EXPECT_EQ(header.substr(header.size() - kCaptureKeyLengthDigits), "ffffffff");
}

TEST(CaptureRow, RoundTripOfEveryFieldInBothAlgorithms) {
	for (const Algorithm algorithm : kAlgorithms) {
		SCOPED_TRACE(AlgorithmName(algorithm));
		std::string image;
		RowHasher hasher(algorithm);
		hasher.SetSink(Collect, &image);
		hasher.AddInt64(7);
		ASSERT_EQ(hasher.AddText("x\0y", 3, true), Status::ok);
		hasher.AddNull();
		const Digest128 digest = hasher.Finish();
		std::string key;
		RowHasher key_hasher(algorithm);
		key_hasher.SetSink(Collect, &key);
		key_hasher.AddInt64(7);
		key_hasher.Finish();

		const std::string row = CaptureRow(algorithm, digest, image, key);
		CaptureRowParts parts;
		ASSERT_TRUE(SplitCaptureRow(row, &parts));
		EXPECT_EQ(parts.fingerprint, RowFingerprintText(algorithm, digest));
		EXPECT_EQ(parts.image, image);
		EXPECT_EQ(parts.key, key);
		// The image is the one that hashes to the fingerprint in front of it.
		EXPECT_EQ(HashImage(algorithm, parts.image.data(), parts.image.size()), digest);
		EXPECT_EQ(CaptureRowPart(parts, CapturePart::fingerprint), parts.fingerprint);
		EXPECT_EQ(CaptureRowPart(parts, CapturePart::image), parts.image);
		EXPECT_EQ(CaptureRowPart(parts, CapturePart::key), parts.key);
	}
}

TEST(CaptureRow, KeyOnlyRowHasAnEmptyImage) {
	const std::string row = CaptureRow(Algorithm::xxh3, Digest128{1, 2}, "", "KEY");
	CaptureRowParts parts;
	ASSERT_TRUE(SplitCaptureRow(row, &parts));
	EXPECT_TRUE(parts.image.empty());
	EXPECT_EQ(parts.key, "KEY");
}

TEST(CaptureRow, EmptyKeyLeavesTheRestAsImage) {
	const std::string row = CaptureRow(Algorithm::sha256, Digest128{1, 2}, "IMAGE", "");
	CaptureRowParts parts;
	ASSERT_TRUE(SplitCaptureRow(row, &parts));
	EXPECT_EQ(parts.image, "IMAGE");
	EXPECT_TRUE(parts.key.empty());
}

TEST(CaptureRow, MalformedRowsAreRefused) {
	const std::string good = CaptureRow(Algorithm::xxh3, Digest128{1, 2}, "IMG", "KEY");
	const std::string header = good.substr(0, CaptureHeaderLength(Algorithm::xxh3));
	const std::string fingerprint = header.substr(0, header.size() - kCaptureKeyLengthDigits);
	const std::string refused[] = {
	    "",
	    "fp1",
	    "fp1:",
	    "fp1:xxh3",
	    "fp2" + good.substr(3),                       // another format
	    "fp1:md5:" + good.substr(9),                  // unknown algorithm
	    "fp1:XXH3:" + good.substr(9),                 // names are lower case
	    "FP1:xxh3:" + good.substr(9),                 //
	    "\x03" + good,                                // a row image, not a capture row
	    header.substr(0, header.size() - 1),          // header cut short
	    fingerprint,                                  // no key length
	    fingerprint + "0000000A" + "IMGKEYKEYK",      // upper-case hex digit
	    fingerprint + "0000000g" + "IMGKEYKEYKEYKEY", // not a hex digit
	    fingerprint + "-0000001" + "IMGK",            // a sign
	    fingerprint + "00000007" + "IMGKEY",          // key longer than the rest
	    fingerprint + "ffffffff",                     // the largest length, no bytes
	    "fp1:xxh3:" + std::string(31, '0') + "g" + good.substr(header.size() - 8), // digest not hex
	    "fp1:xxh3:" + std::string(31, '0') + "A" + good.substr(header.size() - 8), // upper case
	    "fp1:xxh3:" + std::string(31, '0') + ":" + good.substr(header.size() - 8), // a colon
	};
	for (const std::string &row : refused) {
		SCOPED_TRACE(row);
		CaptureRowParts parts;
		EXPECT_FALSE(SplitCaptureRow(row, &parts));
	}
	CaptureRowParts parts;
	EXPECT_TRUE(SplitCaptureRow(good, &parts));
	// The key may take everything after the header, no more.
	EXPECT_TRUE(SplitCaptureRow(fingerprint + "00000006" + "IMGKEY", &parts));
	EXPECT_TRUE(parts.image.empty());
	EXPECT_EQ(parts.key, "IMGKEY");
}

TEST(CaptureRow, PartNames) {
	CapturePart part = CapturePart::key;
	ASSERT_TRUE(ParseCapturePart("fingerprint", &part));
	EXPECT_EQ(part, CapturePart::fingerprint);
	ASSERT_TRUE(ParseCapturePart("image", &part));
	EXPECT_EQ(part, CapturePart::image);
	ASSERT_TRUE(ParseCapturePart("key", &part));
	EXPECT_EQ(part, CapturePart::key);
	for (const char *name : {"", "Key", "keys", "fingerprint ", "row"}) {
		SCOPED_TRACE(name);
		part = CapturePart::image;
		EXPECT_FALSE(ParseCapturePart(name, &part));
		EXPECT_EQ(part, CapturePart::image); // untouched
	}
}

// An update row as the update trigger's UDF writes it: tag, then each side's length and
// capture row, then the changed columns.
std::string UpdateRow(const std::string &now, const std::string &old, const std::string &changed) {
	std::string row(kCaptureUpdateTag);
	char length[kCaptureKeyLengthDigits];
	WriteCaptureLength(now.size(), length);
	row.append(length, sizeof length).append(now);
	WriteCaptureLength(old.size(), length);
	row.append(length, sizeof length).append(old);
	return row + changed;
}

TEST(CaptureRow, UpdateRowHoldsBothSidesAndTheChangedColumns) {
	const std::string now = CaptureRow(Algorithm::xxh3, Digest128{1, 2}, "NEWIMG", "NK");
	const std::string old = CaptureRow(Algorithm::sha256, Digest128{3, 4}, "OLDIMAGE", "OLDK");
	const std::string value = UpdateRow(now, old, "[\"a\",\"b\"]");
	EXPECT_EQ(value.substr(0, 13), "fpu1:00000039"); // the new row: a 49-byte header, 6 + 2 bytes
	CaptureValueParts parts;
	ASSERT_TRUE(SplitCaptureValue(value, &parts));
	EXPECT_TRUE(parts.is_update);
	EXPECT_EQ(parts.now.fingerprint, RowFingerprintText(Algorithm::xxh3, Digest128{1, 2}));
	EXPECT_EQ(parts.now.image, "NEWIMG");
	EXPECT_EQ(parts.now.key, "NK");
	EXPECT_EQ(parts.old.fingerprint, RowFingerprintText(Algorithm::sha256, Digest128{3, 4}));
	EXPECT_EQ(parts.old.image, "OLDIMAGE");
	EXPECT_EQ(parts.old.key, "OLDK");
	std::string_view part;
	ASSERT_TRUE(CaptureValuePart(parts, CapturePart::changed, &part));
	EXPECT_EQ(part, "[\"a\",\"b\"]");
	ASSERT_TRUE(CaptureValuePart(parts, CapturePart::key, &part));
	EXPECT_EQ(part, "NK");
	ASSERT_TRUE(CaptureValuePart(parts, CapturePart::old_key, &part));
	EXPECT_EQ(part, "OLDK");
	ASSERT_TRUE(CaptureValuePart(parts, CapturePart::old_image, &part));
	EXPECT_EQ(part, "OLDIMAGE");
	ASSERT_TRUE(CaptureValuePart(parts, CapturePart::old_fingerprint, &part));
	EXPECT_EQ(part, parts.old.fingerprint);
}

TEST(CaptureRow, CaptureRowIsItsOwnOldSideWithoutChangedColumns) {
	const std::string row = CaptureRow(Algorithm::xxh3, Digest128{5, 6}, "IMG", "K");
	CaptureValueParts parts;
	ASSERT_TRUE(SplitCaptureValue(row, &parts));
	EXPECT_FALSE(parts.is_update);
	std::string_view part;
	ASSERT_TRUE(CaptureValuePart(parts, CapturePart::old_image, &part));
	EXPECT_EQ(part, "IMG");
	ASSERT_TRUE(CaptureValuePart(parts, CapturePart::old_key, &part));
	EXPECT_EQ(part, "K");
	EXPECT_FALSE(CaptureValuePart(parts, CapturePart::changed, &part));
}

TEST(CaptureRow, MalformedUpdateRowsAreRefused) {
	const std::string now = CaptureRow(Algorithm::xxh3, Digest128{1, 2}, "NEWIMG", "NK");
	const std::string old = CaptureRow(Algorithm::xxh3, Digest128{3, 4}, "OLDIMG", "OK");
	const std::string good = UpdateRow(now, old, "[\"v\"]");
	const std::string refused[] = {
	    "fpu1:",                                 // no lengths
	    good.substr(0, 20),                      // cut inside the new row
	    UpdateRow(now, "fp1:xxh3:nothex", "[]"), // old side not a capture row
	    UpdateRow("x" + now, old, "[]"),         // new side not a capture row
	    "fpu1:ffffffff" + now,                   // a length past the end
	    "fpu1:0000002G" + now,                   // not a hex digit
	};
	for (const std::string &value : refused) {
		SCOPED_TRACE(value);
		CaptureValueParts parts;
		EXPECT_FALSE(SplitCaptureValue(value, &parts));
	}
	CaptureValueParts parts;
	EXPECT_TRUE(SplitCaptureValue(good, &parts));
	CapturePart part = CapturePart::key;
	for (const char *name : {"old_fingerprint", "old_image", "old_key", "changed"})
		EXPECT_TRUE(ParseCapturePart(name, &part)) << name;
	EXPECT_FALSE(ParseCapturePart("old_", &part));
}

} // namespace
} // namespace fingerprint
