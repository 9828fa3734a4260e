// The capture row layout (fingerprint/capture_row.hpp): what WriteCaptureHeader writes
// SplitCaptureRow reads back, field by field, in both algorithms; rows that are not
// capture rows are refused, never split.
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

} // namespace
} // namespace fingerprint
