// The value converters of MakeConverter, one factory per value class. Each is decided
// once per column pair from the two TypeSpecs and then runs for every value: no
// allocation beyond the output string, no regular expression, no locale.
#pragma once

#include "copy_types.hpp"
#include "copy_types_spec.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace fingerprint::cli::copy {

struct ConverterSides {
	Engine source_engine;
	TypeSpec source;
	Engine target_engine;
	TypeSpec target;
	std::string target_type; // the target column's type as its engine writes it, for reasons
};

std::unique_ptr<ValueConverter> MakeExactConverter(const ConverterSides &sides);
std::unique_ptr<ValueConverter> MakeApproxConverter(const ConverterSides &sides);
std::unique_ptr<ValueConverter> MakeStringConverter(const ConverterSides &sides);
std::unique_ptr<ValueConverter> MakeTemporalConverter(const ConverterSides &sides);
std::unique_ptr<ValueConverter> MakeJsonConverter(const ConverterSides &sides);

// `value` for a reason, shortened to 60 bytes (a refused value may be a 64 MB blob).
std::string ShownValue(std::string_view value);

} // namespace fingerprint::cli::copy
