// Exact numbers (docs/FORMAT.md: integers, decimals, booleans, YEAR and BIT are one
// class, equal by value). The source's text is read as a decimal, checked against what
// the target type holds (range, digits before and after the point, 0/1 for a boolean),
// and written in the form the target's loader reads without rounding.
#include "copy_convert_parts.hpp"

#include "cli_error.hpp"

#include <cstdint>

namespace fingerprint::cli::copy {

namespace {

enum class Special { none, nan, infinity, minus_infinity };

// A decimal value as views into its text: no leading zeros in `whole` (empty for 0), no
// trailing zeros in `fraction`, `negative` only for a value other than zero.
struct Decimal {
	bool negative = false;
	std::string_view whole;
	std::string_view fraction;
	Special special = Special::none;
	bool is_zero() const { return whole.empty() && fraction.empty() && special == Special::none; }
};

bool ParseDecimal(std::string_view text, Decimal *out) {
	*out = Decimal();
	if (text == "NaN") {
		out->special = Special::nan;
		return true;
	}
	if (text == "Infinity" || text == "-Infinity") {
		out->special = text[0] == '-' ? Special::minus_infinity : Special::infinity;
		return true;
	}
	std::size_t i = 0;
	bool negative = false;
	if (i < text.size() && (text[i] == '-' || text[i] == '+'))
		negative = text[i++] == '-';
	const std::size_t whole_start = i;
	while (i < text.size() && text[i] >= '0' && text[i] <= '9')
		++i;
	std::string_view whole = text.substr(whole_start, i - whole_start);
	std::string_view fraction;
	if (i < text.size() && text[i] == '.') {
		const std::size_t fraction_start = ++i;
		while (i < text.size() && text[i] >= '0' && text[i] <= '9')
			++i;
		fraction = text.substr(fraction_start, i - fraction_start);
	}
	if (i != text.size() || (whole.empty() && fraction.empty()))
		return false;
	while (!whole.empty() && whole.front() == '0')
		whole.remove_prefix(1);
	while (!fraction.empty() && fraction.back() == '0')
		fraction.remove_suffix(1);
	out->whole = whole;
	out->fraction = fraction;
	out->negative = negative && !out->is_zero();
	return true;
}

// |a| <= |b| for digit strings without leading zeros.
bool NotAbove(std::string_view a, std::string_view b) {
	return a.size() != b.size() ? a.size() < b.size() : a <= b;
}

bool InIntegerRange(const Decimal &value, int bytes, bool is_unsigned) {
	if (!value.fraction.empty() || value.special != Special::none)
		return false;
	std::string_view bound = value.negative ? IntegerMin(bytes, is_unsigned) : IntegerMax(bytes, is_unsigned);
	if (value.negative) {
		if (bound == "0")
			return false;
		bound.remove_prefix(1);
	}
	return NotAbove(value.whole, bound);
}

std::uint64_t ToUnsigned(std::string_view digits) {
	std::uint64_t value = 0;
	for (const char c : digits)
		value = value * 10 + static_cast<std::uint64_t>(c - '0');
	return value;
}

void AppendCanonical(const Decimal &value, std::string &out) {
	if (value.negative)
		out += '-';
	if (value.whole.empty())
		out += '0';
	else
		out.append(value.whole);
	if (!value.fraction.empty()) {
		out += '.';
		out.append(value.fraction);
	}
}

class ExactConverter : public ValueConverter {
  public:
	explicit ExactConverter(const ConverterSides &sides)
	    : source_engine_(sides.source_engine), source_(sides.source), target_engine_(sides.target_engine),
	      target_(sides.target), target_type_(sides.target_type) {}

	bool Convert(std::string_view in, std::string &out, std::string &reason) const override {
		out.clear();
		char digits[24];
		Decimal value;
		if (!Read(in, digits, &value)) {
			reason = "value " + ShownValue(in) + " is not a number";
			return false;
		}
		if (!Fits(value, reason))
			return false;
		Write(value, out);
		return true;
	}

  private:
	// The source's text as a decimal; booleans and PostgreSQL bit strings are turned into
	// digits in `digits` first.
	bool Read(std::string_view in, char (&digits)[24], Decimal *value) const {
		if (source_.kind == Kind::boolean && source_engine_ == Engine::postgresql) {
			if (in != "t" && in != "f")
				return false;
			digits[0] = in == "t" ? '1' : '0';
			return ParseDecimal(std::string_view(digits, 1), value);
		}
		if (source_.kind == Kind::bits && source_engine_ == Engine::postgresql) {
			if (in.size() > 64)
				return false;
			std::uint64_t bits = 0;
			for (const char c : in) {
				if (c != '0' && c != '1')
					return false;
				bits = bits << 1 | static_cast<std::uint64_t>(c - '0');
			}
			char *end = digits + sizeof digits;
			char *p = end;
			do {
				*--p = static_cast<char>('0' + bits % 10);
				bits /= 10;
			} while (bits != 0);
			return ParseDecimal(std::string_view(p, static_cast<std::size_t>(end - p)), value);
		}
		return ParseDecimal(in, value);
	}

	bool Refuse(const Decimal &value, std::string_view why, std::string &reason) const {
		std::string shown;
		if (value.special == Special::none)
			AppendCanonical(value, shown);
		else
			shown = value.special == Special::nan        ? "NaN"
			        : value.special == Special::infinity ? "Infinity"
			                                             : "-Infinity";
		reason = "value " + shown + " " + std::string(why) + " " + target_type_;
		return false;
	}

	bool Fits(const Decimal &value, std::string &reason) const {
		const bool special = value.special != Special::none;
		switch (target_.kind) {
		case Kind::boolean:
			if (special || !value.fraction.empty() || value.negative || !NotAbove(value.whole, "1"))
				return Refuse(value, "is neither 0 nor 1: no value of", reason);
			return true;
		case Kind::integer:
			if (special || !InIntegerRange(value, target_.bytes, target_.is_unsigned))
				return Refuse(value, "is out of the range of", reason);
			return true;
		case Kind::decimal:
			return FitsDecimal(value, reason);
		case Kind::bits: {
			if (special || !value.fraction.empty() || value.negative ||
			    !NotAbove(value.whole, IntegerMax(8, true)))
				return Refuse(value, "has no bits in", reason);
			const long long bits = target_.max_bytes;
			if (bits < 64 && (ToUnsigned(value.whole) >> bits) != 0)
				return Refuse(value, "needs more bits than", reason);
			return true;
		}
		case Kind::year: {
			const bool zero = value.is_zero();
			const bool in_range = !special && value.fraction.empty() && !value.negative &&
			                      NotAbove("1901", value.whole) && NotAbove(value.whole, "2155");
			if (!zero && !in_range)
				return Refuse(value, "is no year of", reason);
			return true;
		}
		default:
			break;
		}
		throw Error("internal: exact converter into a non-exact type " + target_type_);
	}

	bool FitsDecimal(const Decimal &value, std::string &reason) const {
		const bool postgres = target_engine_ == Engine::postgresql;
		if (value.special == Special::nan) {
			if (!postgres)
				return Refuse(value, "has no counterpart in", reason);
			return true;
		}
		if (value.special != Special::none) {
			if (!postgres || target_.precision >= 0)
				return Refuse(value, "has no counterpart in", reason);
			return true;
		}
		if (value.negative && target_.is_unsigned)
			return Refuse(value, "is negative: no value of", reason);
		if (target_.precision < 0)
			return true;
		const int scale = target_.scale < 0 && !postgres ? 0 : target_.scale;
		if (scale >= 0) {
			if (value.fraction.size() > static_cast<std::size_t>(scale))
				return Refuse(value, "has more fractional digits than", reason);
			if (static_cast<long long>(value.whole.size()) > target_.precision - scale)
				return Refuse(value, "has more integer digits than", reason);
			return true;
		}
		// PostgreSQL numeric(p, -s): rounded to 10^s, so the last s digits must be zeros.
		const std::size_t zeros = static_cast<std::size_t>(-scale);
		const bool rounded =
		    !value.fraction.empty() ||
		    (!value.whole.empty() && (value.whole.size() <= zeros ||
		                              value.whole.find_last_not_of('0') >= value.whole.size() - zeros));
		if (rounded)
			return Refuse(value, "would be rounded by", reason);
		if (static_cast<long long>(value.whole.size()) > target_.precision - scale)
			return Refuse(value, "has more integer digits than", reason);
		return true;
	}

	void Write(const Decimal &value, std::string &out) const {
		switch (target_.kind) {
		case Kind::boolean:
			out += value.is_zero() ? (target_engine_ == Engine::postgresql ? 'f' : '0')
			                       : (target_engine_ == Engine::postgresql ? 't' : '1');
			return;
		case Kind::bits:
			WriteBits(ToUnsigned(value.whole), out);
			return;
		case Kind::year: {
			const std::size_t digits = value.whole.size();
			out.append(4 - digits, '0');
			out.append(value.whole);
			return;
		}
		default:
			break;
		}
		if (value.special == Special::nan)
			out += "NaN";
		else if (value.special == Special::infinity)
			out += "Infinity";
		else if (value.special == Special::minus_infinity)
			out += "-Infinity";
		else
			AppendCanonical(value, out);
	}

	// MySQL reads a BIT value from LOAD DATA as its bytes (big-endian); PostgreSQL reads
	// a bit string of 0s and 1s, as long as the declared length.
	void WriteBits(std::uint64_t bits, std::string &out) const {
		const long long length = target_.max_bytes;
		if (target_engine_ == Engine::mysql) {
			for (long long byte = (length + 7) / 8 - 1; byte >= 0; --byte)
				out += static_cast<char>((bits >> (byte * 8)) & 0xff);
			return;
		}
		for (long long bit = length - 1; bit >= 0; --bit)
			out += ((bits >> bit) & 1) != 0 ? '1' : '0';
	}

	Engine source_engine_;
	TypeSpec source_;
	Engine target_engine_;
	TypeSpec target_;
	std::string target_type_;
};

} // namespace

std::unique_ptr<ValueConverter> MakeExactConverter(const ConverterSides &sides) {
	return std::make_unique<ExactConverter>(sides);
}

} // namespace fingerprint::cli::copy
