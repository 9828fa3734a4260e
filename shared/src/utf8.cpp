#include "utf8.hpp"

#include <cstdint>
#include <cstring>

#include "fingerprint/no_database_headers.hpp"

namespace fingerprint {

bool IsValidUtf8(const unsigned char *data, std::size_t length) noexcept {
	std::size_t i = 0;
	while (i < length) {
		// Skip eight ASCII bytes at a time.
		if (i + 8 <= length) {
			std::uint64_t word;
			std::memcpy(&word, data + i, 8);
			if ((word & 0x8080808080808080ULL) == 0) {
				i += 8;
				continue;
			}
		}
		const unsigned char lead = data[i];
		if (lead < 0x80) {
			i++;
			continue;
		}
		std::size_t extra;
		unsigned char min_second = 0x80, max_second = 0xBF;
		if (lead >= 0xC2 && lead <= 0xDF) {
			extra = 1;
		} else if (lead >= 0xE0 && lead <= 0xEF) {
			extra = 2;
			if (lead == 0xE0)
				min_second = 0xA0; // overlong
			else if (lead == 0xED)
				max_second = 0x9F; // UTF-16 surrogates
		} else if (lead >= 0xF0 && lead <= 0xF4) {
			extra = 3;
			if (lead == 0xF0)
				min_second = 0x90; // overlong
			else if (lead == 0xF4)
				max_second = 0x8F; // above U+10FFFF
		} else {
			return false;
		}
		if (i + extra >= length) // truncated sequence
			return false;
		if (data[i + 1] < min_second || data[i + 1] > max_second)
			return false;
		for (std::size_t k = 2; k <= extra; k++)
			if (data[i + k] < 0x80 || data[i + k] > 0xBF)
				return false;
		i += extra + 1;
	}
	return true;
}

} // namespace fingerprint
