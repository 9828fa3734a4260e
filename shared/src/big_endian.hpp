// Fixed-width integers in the canonical encoding are big-endian, whatever the host.
#pragma once

#include <cstdint>

namespace fingerprint {

inline void StoreBigEndian32(std::uint32_t value, unsigned char *out) noexcept {
	for (int i = 3; i >= 0; i--) {
		out[i] = static_cast<unsigned char>(value & 0xff);
		value >>= 8;
	}
}

inline void StoreBigEndian64(std::uint64_t value, unsigned char *out) noexcept {
	for (int i = 7; i >= 0; i--) {
		out[i] = static_cast<unsigned char>(value & 0xff);
		value >>= 8;
	}
}

inline std::uint32_t LoadBigEndian32(const unsigned char *in) noexcept {
	return (std::uint32_t{in[0]} << 24) | (std::uint32_t{in[1]} << 16) | (std::uint32_t{in[2]} << 8) |
	       std::uint32_t{in[3]};
}

inline std::uint64_t LoadBigEndian64(const unsigned char *in) noexcept {
	std::uint64_t value = 0;
	for (int i = 0; i < 8; i++)
		value = (value << 8) | in[i];
	return value;
}

} // namespace fingerprint
