// Known answers: each vector names an input, the canonical bytes docs/FORMAT.md says it
// encodes to (derived by hand), and the row fingerprints of those bytes computed by the
// xxhsum and sha256sum tools. The core must agree with all three.
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

namespace fingerprint::testing {
namespace {

struct Vector {
	std::string name, method, input, encoding_hex, xxh3, sha256;
};

std::vector<Vector> LoadVectors() {
	std::ifstream file(VECTORS_FILE);
	std::vector<Vector> vectors;
	std::string line;
	while (std::getline(file, line)) {
		if (line.empty() || line[0] == '#')
			continue;
		std::istringstream fields(line);
		Vector v;
		std::getline(fields, v.name, '\t');
		std::getline(fields, v.method, '\t');
		std::getline(fields, v.input, '\t');
		std::getline(fields, v.encoding_hex, '\t');
		std::getline(fields, v.xxh3, '\t');
		std::getline(fields, v.sha256, '\t');
		vectors.push_back(v);
	}
	return vectors;
}

// "~" is the empty string; "\xHH" is one byte.
std::string Unescape(const std::string &input) {
	if (input == "~")
		return "";
	std::string out;
	for (std::size_t i = 0; i < input.size(); i++) {
		if (input[i] == '\\' && i + 3 < input.size() && input[i + 1] == 'x') {
			out.push_back(static_cast<char>(std::stoi(input.substr(i + 2, 2), nullptr, 16)));
			i += 3;
		} else {
			out.push_back(input[i]);
		}
	}
	return out;
}

Status Feed(RowHasher &hasher, const Vector &v) {
	const std::string in = Unescape(v.input);
	const std::string &m = v.method;
	if (m == "null")
		hasher.AddNull();
	else if (m == "int64")
		hasher.AddInt64(std::stoll(in));
	else if (m == "uint64")
		hasher.AddUint64(std::stoull(in));
	else if (m == "bool")
		hasher.AddBool(in == "1");
	else if (m == "decimal_text")
		return hasher.AddDecimalText(in);
	else if (m == "base10000") {
		// "sign;weight;d1,d2,..."
		const std::size_t a = in.find(';'), b = in.find(';', a + 1);
		std::vector<std::int16_t> digits;
		std::istringstream list(in.substr(b + 1));
		std::string d;
		while (std::getline(list, d, ','))
			digits.push_back(static_cast<std::int16_t>(std::stoi(d)));
		hasher.AddDecimalBase10000(in[0] == '-', std::stoi(in.substr(a + 1, b - a - 1)), digits.data(),
		                           static_cast<int>(digits.size()));
	} else if (m == "numeric_special")
		hasher.AddNumericSpecial(in == "nan"    ? NumericSpecial::nan
		                         : in == "+inf" ? NumericSpecial::positive_infinity
		                                        : NumericSpecial::negative_infinity);
	else if (m == "double")
		hasher.AddDouble(in == "-nan" ? -std::nan("") : std::strtod(in.c_str(), nullptr));
	else if (m == "float")
		hasher.AddFloat(std::strtof(in.c_str(), nullptr));
	else if (m == "text")
		return hasher.AddText(in.data(), in.size(), true);
	else if (m == "padded_text")
		return hasher.AddPaddedText(in.data(), in.size(), true);
	else if (m == "bytes")
		return hasher.AddBytes(in.data(), in.size());
	else if (m == "uuid_text")
		return hasher.AddUuidText(in);
	else if (m == "date_days")
		hasher.AddDateDays(static_cast<std::int32_t>(std::stol(in)));
	else if (m == "date_text")
		return hasher.AddDateText(in);
	else if (m == "timestamp_micros")
		hasher.AddTimestampMicros(std::stoll(in));
	else if (m == "timestamp_text")
		return hasher.AddTimestampText(in);
	else if (m == "time_text")
		return hasher.AddTimeText(in);
	else if (m == "json")
		return hasher.AddJsonText(in);
	else
		ADD_FAILURE() << "unknown method " << m;
	return Status::ok;
}

TEST(EncodingVectors, FileHasVectors) {
	EXPECT_GE(LoadVectors().size(), 50u);
}

TEST(EncodingVectors, EncodingAndHashesMatchKnownAnswers) {
	for (const Vector &v : LoadVectors()) {
		SCOPED_TRACE(v.name);
		for (const Algorithm algorithm : {Algorithm::xxh3, Algorithm::sha256}) {
			RowHasher fed(algorithm);
			ASSERT_EQ(Feed(fed, v), Status::ok);
			const std::string from_value = RowHex(fed);

			// The same digest from the hand-written canonical bytes proves the encoding.
			RowHasher raw(algorithm);
			const std::string bytes = BytesOfHex(v.encoding_hex);
			raw.AppendEncoded(bytes.data(), bytes.size());
			const std::string from_bytes = RowHex(raw);

			const std::string &expected = algorithm == Algorithm::xxh3 ? v.xxh3 : v.sha256;
			EXPECT_EQ(from_bytes, expected) << "hash of the encoding column";
			EXPECT_EQ(from_value, expected) << "value encoded by the core";
		}
	}
}

TEST(EncodingVectors, EmptyRowIsHashOfNothing) {
	// XXH3-128 of zero bytes, as printed by `xxhsum -H2 /dev/null`.
	RowHasher hasher;
	EXPECT_EQ(RowHex(hasher), "fp1:xxh3:99aa06d3014798d86001c324468d497f");
	RowHasher sha(Algorithm::sha256);
	EXPECT_EQ(RowHex(sha), "fp1:sha256:e3b0c44298fc1c149afbf4c8996fb924");
}

} // namespace
} // namespace fingerprint::testing
