// Helpers shared by the core tests: hex dumps of canonical encodings.
#pragma once

#include "fingerprint/printable.hpp"
#include "fingerprint/row_hasher.hpp"

#include <string>

namespace fingerprint::testing {

inline std::string RowHex(RowHasher &hasher) {
	char text[kMaxPrintableLength];
	FormatRowFingerprint(hasher.algorithm(), hasher.Finish(), text);
	return text;
}

inline std::string HexOf(const std::string &bytes) {
	static constexpr char kHex[] = "0123456789abcdef";
	std::string out;
	for (const unsigned char c : bytes) {
		out.push_back(kHex[c >> 4]);
		out.push_back(kHex[c & 0xf]);
	}
	return out;
}

inline std::string BytesOfHex(const std::string &hex) {
	std::string out;
	for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
		out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
	return out;
}

} // namespace fingerprint::testing
