#include "fingerprint/utf8.hpp"

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
		if (data[i] < 0x80) {
			i++;
			continue;
		}
		const std::size_t sequence = Utf8SequenceLength(data + i, length - i);
		if (sequence == 0)
			return false;
		i += sequence;
	}
	return true;
}

bool HasUtf8Surrogate(const unsigned char *data, std::size_t length) noexcept {
	const unsigned char *end = data + length;
	while (data < end) {
		const void *found = std::memchr(data, 0xED, static_cast<std::size_t>(end - data));
		if (found == nullptr)
			return false;
		data = static_cast<const unsigned char *>(found) + 1;
		// In checked text an 0xED byte leads a 3-byte sequence: 80..9F follows it for
		// U+D000..U+D7FF, A0..BF for a surrogate. A truncated one counts as invalid too.
		if (data == end || *data >= 0xA0)
			return true;
	}
	return false;
}

std::size_t Utf8SequenceLength(const unsigned char *data, std::size_t length) noexcept {
	const unsigned char lead = data[0];
	if (lead < 0x80)
		return 1;
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
		return 0;
	}
	if (extra >= length) // truncated sequence
		return 0;
	if (data[1] < min_second || data[1] > max_second)
		return 0;
	for (std::size_t k = 2; k <= extra; k++)
		if (data[k] < 0x80 || data[k] > 0xBF)
			return 0;
	return extra + 1;
}

std::string ToValidUtf8(std::string_view text) {
	const auto *data = reinterpret_cast<const unsigned char *>(text.data());
	std::string out;
	out.reserve(text.size());
	for (std::size_t i = 0; i < text.size();) {
		const std::size_t sequence = Utf8SequenceLength(data + i, text.size() - i);
		if (sequence == 0) {
			out.append("\xEF\xBF\xBD");
			++i;
		} else {
			out.append(text.substr(i, sequence));
			i += sequence;
		}
	}
	return out;
}

} // namespace fingerprint
