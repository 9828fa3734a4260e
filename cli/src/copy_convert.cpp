// MakeConverter: the pairing of a source column with a target column, decided once. Both
// must be of one value class (docs/FORMAT.md); within the class each converter checks
// per value that the target holds it exactly.
#include "copy_convert_parts.hpp"

#include "cli_error.hpp"

#include <algorithm>
#include <cstring>

namespace fingerprint::cli::copy {

namespace {

// JSON travels as its text: both engines parse it into the same canonical value. The one
// document PostgreSQL's jsonb cannot store is a string holding \u0000.
class JsonConverter : public ValueConverter {
  public:
	explicit JsonConverter(const ConverterSides &sides)
	    : into_jsonb_(sides.target_engine == Engine::postgresql && sides.target.jsonb),
	      target_type_(sides.target_type) {}

	bool Convert(std::string_view in, std::string &out, std::string &reason) const override {
		if (into_jsonb_ && in.find("\\u0000") != std::string_view::npos) {
			out.clear();
			reason = "value " + ShownValue(in) + " holds \\u0000, which " + target_type_ + " cannot store";
			return false;
		}
		out.assign(in.data(), in.size());
		return true;
	}

  private:
	bool into_jsonb_;
	std::string target_type_;
};

std::string Described(Engine engine, const ColumnDefinition &column) {
	return std::string(EngineName(engine)) + " column `" + column.name + "` (" + column.type + ")";
}

} // namespace

std::unique_ptr<ValueConverter> MakeJsonConverter(const ConverterSides &sides) {
	return std::make_unique<JsonConverter>(sides);
}

namespace {

// Text a message can show as it is: UTF-8 without control characters.
bool IsPrintable(std::string_view value) {
	std::size_t continuation = 0;
	for (const char c : value) {
		const auto byte = static_cast<unsigned char>(c);
		if (continuation > 0) {
			if ((byte & 0xc0) != 0x80)
				return false;
			--continuation;
		} else if (byte < 0x20 || byte == 0x7f || (byte >= 0x80 && byte < 0xc2) || byte > 0xf4) {
			return false;
		} else if (byte >= 0xc2) {
			continuation = byte >= 0xf0 ? 3 : byte >= 0xe0 ? 2 : 1;
		}
	}
	return continuation == 0;
}

} // namespace

std::string ShownValue(std::string_view value) {
	constexpr std::size_t kShown = 60;
	std::size_t cut = std::min(value.size(), kShown);
	while (cut < value.size() && cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xc0) == 0x80)
		--cut; // not inside a UTF-8 character
	const std::string more = cut < value.size() ? "...' (" + std::to_string(value.size()) + " bytes)" : "'";
	if (IsPrintable(value.substr(0, cut)))
		return "'" + std::string(value.substr(0, cut)) + more;
	// Bytes or control characters: hex, as MySQL writes a binary literal.
	static constexpr char kHex[] = "0123456789abcdef";
	const std::string_view head = value.substr(0, kShown / 2);
	std::string out = "X'";
	for (const char c : head) {
		out += kHex[static_cast<unsigned char>(c) >> 4];
		out += kHex[static_cast<unsigned char>(c) & 0x0f];
	}
	return out + (head.size() < value.size() ? "...' (" + std::to_string(value.size()) + " bytes)" : "'");
}

std::unique_ptr<ValueConverter> MakeConverter(Engine source_engine, const ColumnDefinition &source,
                                              Engine target_engine, const ColumnDefinition &target) {
	const TypeSpec source_spec = DescribeType(source_engine, source);
	const TypeSpec target_spec = DescribeType(target_engine, target);
	if (source_spec.kind == Kind::unsupported)
		throw Error(Described(source_engine, source) + " cannot be copied: " + source_spec.why);
	if (target_spec.kind == Kind::unsupported)
		throw Error(Described(target_engine, target) + " cannot receive a copy: " + target_spec.why);
	const ValueClass source_class = ClassOf(source_spec.kind);
	const ValueClass target_class = ClassOf(target_spec.kind);
	if (source_class != target_class)
		throw Error(Described(source_engine, source) + " holds " + std::string(ValueClassName(source_class)) +
		            " values, but " + Described(target_engine, target) + " holds " +
		            std::string(ValueClassName(target_class)) + " values: not the same value class");
	const ConverterSides sides{source_engine, source_spec, target_engine, target_spec,
	                           std::string(EngineName(target_engine)) + " " + target.type};
	switch (source_class) {
	case ValueClass::exact:
		return MakeExactConverter(sides);
	case ValueClass::approx:
		return MakeApproxConverter(sides);
	case ValueClass::string:
		return MakeStringConverter(sides);
	case ValueClass::date:
	case ValueClass::timestamp:
	case ValueClass::time:
		return MakeTemporalConverter(sides);
	case ValueClass::json:
		return MakeJsonConverter(sides);
	case ValueClass::unsupported:
		break;
	}
	throw Error(Described(source_engine, source) + " cannot be copied");
}

namespace {

// The canonical text of an image value as a source column of its class would give it:
// exact numbers as decimals (NaN, Infinity), doubles, bytes that may or may not be
// UTF-8 (so every check a binary source gets is made), JSON text, and temporals as
// MySQL writes them (its zero and invalid dates come in the image as their text).
TypeSpec ImageSourceSpec(ValueClass value_class, const TypeSpec &target) {
	TypeSpec spec;
	switch (value_class) {
	case ValueClass::exact:
		spec.kind = Kind::decimal;
		break;
	case ValueClass::approx:
		spec.kind = Kind::float8;
		break;
	case ValueClass::string:
		spec.kind = Kind::binary;
		break;
	case ValueClass::date:
	case ValueClass::timestamp:
	case ValueClass::time:
		spec.kind = target.kind == Kind::timestamptz ? Kind::timestamp : target.kind;
		break;
	case ValueClass::json:
		spec.kind = Kind::json;
		break;
	case ValueClass::unsupported:
		break;
	}
	return spec;
}

} // namespace

std::unique_ptr<ValueConverter> MakeImageConverter(ValueClass value_class, Engine target_engine,
                                                   const ColumnDefinition &target) {
	const TypeSpec target_spec = DescribeType(target_engine, target);
	if (target_spec.kind == Kind::unsupported)
		throw Error(Described(target_engine, target) + " cannot receive a copy: " + target_spec.why);
	const ValueClass source_class = value_class;
	const ValueClass target_class = ClassOf(target_spec.kind);
	if (source_class == ValueClass::unsupported || source_class != target_class)
		throw Error(Described(target_engine, target) + " holds " + std::string(ValueClassName(target_class)) +
		            " values, not the " + std::string(ValueClassName(value_class)) +
		            " values the change log holds for it");
	const ConverterSides sides{Engine::mysql, ImageSourceSpec(source_class, target_spec), target_engine,
	                           target_spec, std::string(EngineName(target_engine)) + " " + target.type};
	switch (source_class) {
	case ValueClass::exact:
		return MakeExactConverter(sides);
	case ValueClass::approx:
		return MakeApproxConverter(sides);
	case ValueClass::string:
		return MakeStringConverter(sides);
	case ValueClass::date:
	case ValueClass::timestamp:
	case ValueClass::time:
		return MakeTemporalConverter(sides);
	case ValueClass::json:
		return MakeJsonConverter(sides);
	case ValueClass::unsupported:
		break;
	}
	throw Error(Described(target_engine, target) + " cannot receive logged values");
}

} // namespace fingerprint::cli::copy
