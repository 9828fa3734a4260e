#include "spec.hpp"

namespace fingerprint::udf {

namespace {
constexpr std::string_view kClassLetters = "iudfscSCbDTtjU";
} // namespace

bool IsClassLetter(char letter) noexcept {
	return kClassLetters.find(letter) != std::string_view::npos;
}

ArgKind ClassArgKind(char letter) noexcept {
	switch (letter) {
	case 'i':
	case 'u':
		return ArgKind::integer; // the 64-bit pattern; 'u' reads it as unsigned
	case 'f':
		return ArgKind::real; // FLOAT arrives already widened to double
	default:
		return ArgKind::string; // DECIMAL as text with its declared scale, temporals as text
	}
}

SpecError ParseSpec(std::string_view text, Spec *out, char *bad_letter) noexcept {
	Algorithm algorithm = kDefaultAlgorithm;
	const std::size_t colon = text.find(':');
	if (colon != std::string_view::npos) {
		if (!ParseAlgorithm(text.substr(0, colon), &algorithm))
			return SpecError::bad_algorithm;
		text.remove_prefix(colon + 1);
	}
	if (text.empty())
		return SpecError::no_classes;
	for (const char letter : text) {
		if (!IsClassLetter(letter)) {
			*bad_letter = letter;
			return SpecError::bad_class;
		}
	}
	out->algorithm = algorithm;
	out->classes = text;
	return SpecError::none;
}

} // namespace fingerprint::udf
