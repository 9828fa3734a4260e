// Approximate numbers (docs/FORMAT.md: a 4-byte float is widened exactly to a double,
// and values are equal by their double). The source's text is read as the double it
// spells (PostgreSQL with extra_float_digits 3 and MySQL's DOUBLE text both round-trip),
// and written as the shortest text that reads back to that double. A 4-byte target takes
// only values that are 4-byte floats exactly; MySQL takes no NaN or infinity.
#include "copy_convert_parts.hpp"

#include <charconv>
#include <cmath>
#include <cstring>

namespace fingerprint::cli::copy {

namespace {

bool ReadDouble(std::string_view text, bool is_float4, double *value) {
	if (text == "NaN" || text == "nan") {
		*value = std::nan("");
		return true;
	}
	if (text == "Infinity" || text == "inf") {
		*value = HUGE_VAL;
		return true;
	}
	if (text == "-Infinity" || text == "-inf") {
		*value = -HUGE_VAL;
		return true;
	}
	const char *begin = text.data();
	const char *end = begin + text.size();
	if (is_float4) {
		float narrow = 0;
		const auto result = std::from_chars(begin, end, narrow);
		*value = narrow;
		return result.ec == std::errc() && result.ptr == end;
	}
	const auto result = std::from_chars(begin, end, *value);
	return result.ec == std::errc() && result.ptr == end;
}

class ApproxConverter : public ValueConverter {
  public:
	explicit ApproxConverter(const ConverterSides &sides)
	    : source_float4_(sides.source.kind == Kind::float4),
	      target_float4_(sides.target.kind == Kind::float4),
	      target_postgres_(sides.target_engine == Engine::postgresql), target_type_(sides.target_type) {}

	bool Convert(std::string_view in, std::string &out, std::string &reason) const override {
		out.clear();
		double value = 0;
		if (!ReadDouble(in, source_float4_, &value)) {
			reason = "value " + ShownValue(in) + " is not a floating-point number";
			return false;
		}
		if (std::isnan(value) || std::isinf(value)) {
			if (!target_postgres_) {
				reason = "value " + std::string(in) + " has no counterpart in " + target_type_;
				return false;
			}
			out += std::isnan(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
			return true;
		}
		if (target_float4_ && static_cast<double>(static_cast<float>(value)) != value) {
			reason = "value " + ShownValue(in) + " is no 4-byte float: " + target_type_ + " would round it";
			return false;
		}
		char buffer[64];
		// The shortest text of the double: it reads back to the same double, and when the
		// value is a float, a float target's strtod-then-narrow gets that float exactly.
		const auto result = target_postgres_ && target_float4_
		                        ? std::to_chars(buffer, buffer + sizeof buffer, static_cast<float>(value))
		                        : std::to_chars(buffer, buffer + sizeof buffer, value);
		out.append(buffer, static_cast<std::size_t>(result.ptr - buffer));
		return true;
	}

  private:
	bool source_float4_;
	bool target_float4_;
	bool target_postgres_;
	std::string target_type_;
};

} // namespace

std::unique_ptr<ValueConverter> MakeApproxConverter(const ConverterSides &sides) {
	return std::make_unique<ApproxConverter>(sides);
}

} // namespace fingerprint::cli::copy
