// The spec argument of row_fingerprint/fingerprint_agg: "[algorithm:]classes", one class
// letter per value argument saying how the core encodes that value (docs/mysql.md).
#pragma once

#include "udf_abi.hpp"

#include "fingerprint/algorithm.hpp"

#include <cstddef>
#include <string_view>

namespace fingerprint::udf {

// The class letters and how the server must pass each one.
//   i signed integer   u unsigned integer   d decimal text   f float/double
//   s text             c CHAR(n) text       b bytes          D date text
//   T datetime text    t time text          j JSON text      U uuid text
//   S, C               s and c for text the server has already checked as utf8mb4 or
//                      utf8mb3: only surrogates are looked for (AddClassedValue)
bool IsClassLetter(char letter) noexcept;
ArgKind ClassArgKind(char letter) noexcept;

struct Spec {
	Algorithm algorithm;
	std::string_view classes; // points into the text given to ParseSpec
};

enum class SpecError { none, bad_algorithm, bad_class, no_classes };

// Parses text; on failure *bad_letter holds the offending class letter (bad_class).
SpecError ParseSpec(std::string_view text, Spec *out, char *bad_letter) noexcept;

} // namespace fingerprint::udf
