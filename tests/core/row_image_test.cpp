// Row images: the sink sees exactly the bytes that were hashed, images decode back into
// their values, render as JSON, and hash to the row fingerprint.
#include "fingerprint/printable.hpp"
#include "fingerprint/row_hasher.hpp"
#include "fingerprint/row_image.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace fingerprint {
namespace {

void Collect(void *context, const unsigned char *data, std::size_t length) noexcept {
	static_cast<std::string *>(context)->append(reinterpret_cast<const char *>(data), length);
}

// A row of every class: fills *image (the sink must outlive Finish) and returns the digest.
Digest128 SampleRow(std::string *image) {
	RowHasher row;
	RowHasher *hasher = &row;
	hasher->SetSink(Collect, image);
	hasher->AddNull();
	hasher->AddInt64(-42);
	EXPECT_EQ(hasher->AddDecimalText("1.50"), Status::ok);
	hasher->AddDouble(0.1);
	EXPECT_EQ(hasher->AddText("h\xc3\xa9\"\n", 5, true), Status::ok);
	EXPECT_EQ(hasher->AddBytes("\xff\x00", 2), Status::ok);
	hasher->AddDateDays(-1);                                         // 1999-12-31
	hasher->AddTimestampMicros(86400000000LL + 1);                   // 2000-01-02 00:00:00.000001
	hasher->AddTimeMicros(-(838LL * 3600 + 59 * 60 + 59) * 1000000); // MySQL's minimum TIME
	EXPECT_EQ(hasher->AddJsonText("{\"b\": 1.0, \"a\": [true, null]}"), Status::ok);
	EXPECT_EQ(hasher->AddDateText("0000-00-00"), Status::ok);
	return hasher->Finish();
}

TEST(RowImage, SinkReceivesExactlyTheHashedBytes) {
	std::string image;
	const Digest128 digest = SampleRow(&image);
	EXPECT_EQ(HashImage(Algorithm::xxh3, image.data(), image.size()), digest);
	// The same bytes fed raw give the same digest, and a second row starts a new image.
	RowHasher raw;
	raw.AppendEncoded(image.data(), image.size());
	EXPECT_EQ(raw.Finish(), digest);
}

TEST(RowImage, LargeValuesReachTheSinkInOrder) {
	for (const Algorithm algorithm : {Algorithm::xxh3, Algorithm::sha256}) {
		const std::string big(200 * 1024, 'x');
		std::string image;
		RowHasher hasher(algorithm);
		hasher.SetSink(Collect, &image);
		hasher.AddInt64(7);
		ASSERT_EQ(hasher.AddText(big.data(), big.size(), false), Status::ok);
		hasher.AddInt64(8);
		const Digest128 digest = hasher.Finish();
		ASSERT_EQ(image.size(), 1 + 4 + 1 + 1 + 4 + big.size() + 1 + 4 + 1);
		EXPECT_EQ(HashImage(algorithm, image.data(), image.size()), digest);
	}
}

TEST(RowImage, ReaderDecodesEveryClass) {
	std::string image;
	SampleRow(&image);
	ImageReader reader(image.data(), image.size());
	ImageValue v;
	ASSERT_TRUE(reader.Next(&v));
	EXPECT_EQ(v.tag, Tag::null);
	ASSERT_TRUE(reader.Next(&v));
	EXPECT_EQ(v.tag, Tag::exact_number);
	EXPECT_EQ(v.text, "-42");
	ASSERT_TRUE(reader.Next(&v));
	EXPECT_EQ(v.text, "1.5");
	ASSERT_TRUE(reader.Next(&v));
	EXPECT_EQ(v.tag, Tag::approx_number);
	EXPECT_EQ(v.approx, 0.1);
	ASSERT_TRUE(reader.Next(&v));
	EXPECT_EQ(v.tag, Tag::string);
	ASSERT_TRUE(reader.Next(&v));
	EXPECT_EQ(v.text, std::string("\xff\x00", 2));
	ASSERT_TRUE(reader.Next(&v));
	EXPECT_EQ(v.tag, Tag::date);
	EXPECT_EQ(v.integer, -1);
	ASSERT_TRUE(reader.Next(&v));
	EXPECT_EQ(v.tag, Tag::timestamp);
	ASSERT_TRUE(reader.Next(&v));
	EXPECT_EQ(v.tag, Tag::time);
	ASSERT_TRUE(reader.Next(&v));
	EXPECT_EQ(v.tag, Tag::json);
	ASSERT_TRUE(reader.Next(&v));
	EXPECT_EQ(v.tag, Tag::invalid_temporal);
	EXPECT_FALSE(reader.Next(&v));
	EXPECT_EQ(reader.status(), Status::ok);
	// The encoded ranges of the values tile the image exactly.
	ImageReader again(image.data(), image.size());
	std::string tiled;
	while (again.Next(&v))
		tiled.append(v.encoded);
	EXPECT_EQ(tiled, image);
	std::size_t count = 0;
	EXPECT_EQ(CountImageValues(image.data(), image.size(), &count), Status::ok);
	EXPECT_EQ(count, 11u);
}

TEST(RowImage, RendersJson) {
	std::string image;
	SampleRow(&image);
	std::string json;
	ASSERT_EQ(RenderImageJson(image.data(), image.size(), nullptr, 0, &json), Status::ok);
	EXPECT_EQ(json,
	          "[null,-42,1.5,0.1,\"h\xc3\xa9\\\"\\u000a\",{\"$bytes\":\"ff00\"},\"1999-12-31\","
	          "\"2000-01-02 00:00:00.000001\",\"-838:59:59\",{\"a\":[true,null],\"b\":1},\"0000-00-00\"]");
	const std::string_view names[] = {"n", "i", "d", "f", "s", "b", "D", "T", "t", "j", "z"};
	ASSERT_EQ(RenderImageJson(image.data(), image.size(), names, 11, &json), Status::ok);
	EXPECT_EQ(json.substr(0, 20), "{\"n\":null,\"i\":-42,\"d");
	// A name list of the wrong length is refused rather than mislabelled.
	EXPECT_EQ(RenderImageJson(image.data(), image.size(), names, 10, &json), Status::invalid_image);
}

TEST(RowImage, RendersEdgeValues) {
	const auto render = [](void (*add)(RowHasher *)) {
		std::string image;
		RowHasher hasher;
		hasher.SetSink(Collect, &image);
		add(&hasher);
		hasher.Finish();
		std::string json;
		EXPECT_EQ(RenderImageJson(image.data(), image.size(), nullptr, 0, &json), Status::ok);
		return json;
	};
	EXPECT_EQ(render([](RowHasher *h) { h->AddDouble(std::nan("")); }), "[\"NaN\"]");
	EXPECT_EQ(render([](RowHasher *h) { h->AddDouble(-1e308); }), "[-1e+308]");
	EXPECT_EQ(render([](RowHasher *h) { h->AddNumericSpecial(NumericSpecial::negative_infinity); }),
	          "[\"-Infinity\"]");
	EXPECT_EQ(render([](RowHasher *h) { h->AddDateDays(INT32_MAX); }), "[\"infinity\"]");
	EXPECT_EQ(render([](RowHasher *h) { h->AddTimestampMicros(-1); }), "[\"1999-12-31 23:59:59.999999\"]");
	EXPECT_EQ(render([](RowHasher *h) { h->AddDateDays(-730485 - 365); }), "[\"-0001-01-01\"]");
	EXPECT_EQ(render([](RowHasher *h) { h->AddTimeMicros(0); }), "[\"00:00:00\"]");
}

TEST(RowImage, MalformedImagesAreRefused) {
	const std::string cases[] = {std::string("\x09", 1), std::string("\x01\x00\x00", 3),
	                             std::string("\x03\x00\x00\x00\x05"
	                                         "abc",
	                                         8),
	                             std::string("\x02\x00", 2)};
	for (const std::string &bad : cases) {
		std::size_t count;
		EXPECT_EQ(CountImageValues(bad.data(), bad.size(), &count), Status::invalid_image)
		    << testing::HexOf(bad);
		std::string json;
		EXPECT_EQ(RenderImageJson(bad.data(), bad.size(), nullptr, 0, &json), Status::invalid_image);
	}
	std::size_t count = 1;
	EXPECT_EQ(CountImageValues("", 0, &count), Status::ok);
	EXPECT_EQ(count, 0u);
}

} // namespace
} // namespace fingerprint
