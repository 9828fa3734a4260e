// Strings and bytes (docs/FORMAT.md: text is its UTF-8 bytes, binary values their bytes,
// char(n) without its pad spaces, a uuid its lower-case text, an enum its label, a SET
// its labels joined by commas). The value's bytes travel unchanged; what is checked is
// that the target stores exactly those bytes: its length limit (in characters for
// character types), its character set, NUL in PostgreSQL text, pad spaces CHAR would
// drop, BINARY(n)'s zero padding, the target's enum labels.
#include "copy_convert_parts.hpp"
#include "hex_digit.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

namespace fingerprint::cli::copy {

namespace {

enum class Charset { any, utf8mb3, latin1, ascii };

Charset CharsetOf(const std::string &name) {
	if (name == "utf8mb3" || name == "utf8")
		return Charset::utf8mb3;
	if (name == "latin1")
		return Charset::latin1;
	if (name == "ascii")
		return Charset::ascii;
	return Charset::any; // utf8mb4, PostgreSQL's UTF8; others are checked by the server
}

// MariaDB's latin1 is cp1252 with 0x81, 0x8D, 0x8F, 0x90 and 0x9D mapped to U+0081 etc.:
// the code points it can store.
bool InLatin1(std::uint32_t code) {
	if (code < 0x80 || (code >= 0xa0 && code <= 0xff))
		return true;
	static constexpr std::uint32_t kCp1252[] = {
	    0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160,
	    0x2039, 0x0152, 0x008d, 0x017d, 0x008f, 0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022,
	    0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178};
	return std::find(std::begin(kCp1252), std::end(kCp1252), code) != std::end(kCp1252);
}

struct TextFacts {
	bool valid = true;
	long long chars = 0;
	std::uint32_t unstorable = 0; // the first code point the target character set lacks
};

// Walks UTF-8 once: validity (no overlong forms, no surrogates), characters, and the
// first character the target's character set cannot store.
TextFacts ExamineUtf8(std::string_view text, Charset charset) {
	TextFacts facts;
	const auto *p = reinterpret_cast<const unsigned char *>(text.data());
	const auto *end = p + text.size();
	while (p < end) {
		std::uint32_t code = *p;
		int extra = 0;
		if (code >= 0xf0 && code <= 0xf4)
			extra = 3, code &= 0x07;
		else if (code >= 0xe0)
			extra = 2, code &= 0x0f;
		else if (code >= 0xc2 && code < 0xe0)
			extra = 1, code &= 0x1f;
		else if (code >= 0x80) {
			facts.valid = false;
			return facts;
		}
		if (end - p <= extra) {
			facts.valid = false;
			return facts;
		}
		for (int i = 1; i <= extra; ++i) {
			if ((p[i] & 0xc0) != 0x80) {
				facts.valid = false;
				return facts;
			}
			code = code << 6 | (p[i] & 0x3f);
		}
		const bool overlong = (extra == 2 && code < 0x800) || (extra == 3 && code < 0x10000);
		if (overlong || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) {
			facts.valid = false;
			return facts;
		}
		const bool storable = charset == Charset::any || (charset == Charset::utf8mb3 && extra < 3) ||
		                      (charset == Charset::latin1 && InLatin1(code)) ||
		                      (charset == Charset::ascii && code < 0x80);
		if (!storable && facts.unstorable == 0)
			facts.unstorable = code;
		p += extra + 1;
		++facts.chars;
	}
	return facts;
}

bool DecodeByteaHex(std::string_view in, std::string &out) {
	if (in.size() < 2 || in[0] != '\\' || in[1] != 'x' || in.size() % 2 != 0)
		return false;
	out.resize((in.size() - 2) / 2);
	for (std::size_t i = 2, o = 0; i < in.size(); i += 2, ++o) {
		const int high = HexDigitValue(in[i]);
		const int low = HexDigitValue(in[i + 1]);
		if (high < 0 || low < 0)
			return false;
		out[o] = static_cast<char>(high << 4 | low);
	}
	return true;
}

void AppendByteaHex(std::string_view bytes, std::string &out) {
	static constexpr char kHex[] = "0123456789abcdef";
	out.reserve(out.size() + 2 + bytes.size() * 2);
	out += "\\x";
	for (const char c : bytes) {
		const auto byte = static_cast<unsigned char>(c);
		out += kHex[byte >> 4];
		out += kHex[byte & 0x0f];
	}
}

bool IsCanonicalUuid(std::string_view text) {
	if (text.size() != 36)
		return false;
	for (std::size_t i = 0; i < 36; ++i) {
		const char c = text[i];
		const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	return true;
}

std::string CodePoint(std::uint32_t code) {
	char buffer[16];
	std::snprintf(buffer, sizeof buffer, "U+%04X", code);
	return buffer;
}

class StringConverter : public ValueConverter {
  public:
	explicit StringConverter(const ConverterSides &sides)
	    : target_(sides.target), target_type_(sides.target_type) {
		// The labels are copied: the column definition may go before the converter does.
		if (target_.labels != nullptr)
			labels_ = *target_.labels;
		target_.labels = nullptr;
		const bool source_bytea =
		    sides.source_engine == Engine::postgresql && sides.source.kind == Kind::binary;
		const bool target_postgres = sides.target_engine == Engine::postgresql;
		target_bytea_ = target_postgres && sides.target.kind == Kind::binary;
		decode_ = source_bytea && !target_bytea_;
		encode_ = target_bytea_ && !source_bytea;
		trim_pads_ = sides.source.kind == Kind::text && sides.source.fixed;
		source_text_ = sides.source.kind != Kind::binary;
		no_nul_ = target_postgres && sides.target.kind != Kind::binary;
		refuse_trailing_space_ = sides.target.kind == Kind::text && sides.target.fixed && !trim_pads_;
		const bool target_text = sides.target.kind == Kind::text || sides.target.kind == Kind::enumeration ||
		                         sides.target.kind == Kind::set;
		charset_ = target_text ? CharsetOf(sides.target.charset) : Charset::any;
		one_byte_chars_ = charset_ == Charset::latin1 || charset_ == Charset::ascii;
		const TypeSpec &source = sides.source;
		check_chars_ =
		    target_.max_chars >= 0 &&
		    (source.max_chars < 0 || source.max_chars > target_.max_chars || source.kind == Kind::binary);
		check_bytes_ = target_.max_bytes >= 0;
		examine_ = target_text && (!source_text_ || charset_ != Charset::any || check_chars_ ||
		                           (check_bytes_ && one_byte_chars_));
	}

	bool Convert(std::string_view in, std::string &out, std::string &reason) const override {
		out.clear();
		std::string_view value = in;
		if (decode_) {
			if (!DecodeByteaHex(in, out)) {
				reason = "value " + ShownValue(in) + " is not bytea hex text";
				return false;
			}
			value = out;
		} else if (trim_pads_) {
			while (!value.empty() && value.back() == ' ')
				value.remove_suffix(1);
		}
		if (!Check(value, reason))
			return false;
		if (encode_)
			AppendByteaHex(value, out);
		else if (!decode_)
			out.assign(value.data(), value.size());
		return true;
	}

  private:
	bool Refuse(std::string_view value, const std::string &why, std::string &reason) const {
		reason = "value " + ShownValue(value) + " " + why;
		return false;
	}

	bool Check(std::string_view value, std::string &reason) const {
		if (no_nul_ && std::memchr(value.data(), 0, value.size()) != nullptr)
			return Refuse(value, "holds a NUL byte, which PostgreSQL text cannot store", reason);
		if (refuse_trailing_space_ && !value.empty() && value.back() == ' ')
			return Refuse(value, "ends in spaces that " + target_type_ + " would drop", reason);
		long long stored_bytes = static_cast<long long>(value.size());
		if (examine_) {
			const TextFacts facts = ExamineUtf8(value, charset_);
			if (!facts.valid)
				return Refuse(value, "is not valid UTF-8, so " + target_type_ + " cannot hold it", reason);
			if (facts.unstorable != 0)
				return Refuse(value,
				              "holds " + CodePoint(facts.unstorable) + ", which " + target_type_ +
				                  " cannot store",
				              reason);
			if (check_chars_ && facts.chars > target_.max_chars)
				return Refuse(value,
				              "has " + std::to_string(facts.chars) + " characters, more than " +
				                  target_type_ + " holds",
				              reason);
			if (one_byte_chars_)
				stored_bytes = facts.chars;
		}
		if (check_bytes_ && stored_bytes > target_.max_bytes)
			return Refuse(
			    value, "has " + std::to_string(stored_bytes) + " bytes, more than " + target_type_ + " holds",
			    reason);
		if (target_.kind == Kind::binary && target_.fixed && stored_bytes != target_.max_bytes)
			return Refuse(value,
			              "has " + std::to_string(stored_bytes) + " bytes: " + target_type_ +
			                  " would pad it with zero bytes",
			              reason);
		if (target_.kind == Kind::uuid && !IsCanonicalUuid(value))
			return Refuse(value,
			              "is not a uuid in lower-case 8-4-4-4-12 form, which " + target_type_ +
			                  " would store differently",
			              reason);
		if (target_.kind == Kind::enumeration && !IsLabel(value))
			return Refuse(value, "is not a label of " + target_type_, reason);
		if (target_.kind == Kind::set && !IsSetValue(value))
			return Refuse(value, "is not a list of labels of " + target_type_ + " in their order", reason);
		return true;
	}

	bool IsLabel(std::string_view value) const {
		for (const std::string &label : labels_)
			if (label == value)
				return true;
		return false;
	}

	// MySQL returns a SET as its labels in definition order, each once: anything else
	// would be stored reordered.
	bool IsSetValue(std::string_view value) const {
		if (value.empty())
			return true;
		std::size_t next_label = 0;
		while (true) {
			const std::size_t comma = value.find(',');
			const std::string_view item = value.substr(0, comma);
			const auto &labels = labels_;
			while (next_label < labels.size() && labels[next_label] != item)
				++next_label;
			if (next_label == labels.size())
				return false;
			++next_label;
			if (comma == std::string_view::npos)
				return true;
			value.remove_prefix(comma + 1);
		}
	}

	TypeSpec target_;
	std::string target_type_;
	std::vector<std::string> labels_;
	bool target_bytea_ = false;
	bool decode_ = false;
	bool encode_ = false;
	bool trim_pads_ = false;
	bool source_text_ = true;
	bool no_nul_ = false;
	bool refuse_trailing_space_ = false;
	Charset charset_ = Charset::any;
	bool one_byte_chars_ = false;
	bool check_chars_ = false;
	bool check_bytes_ = false;
	bool examine_ = false;
};

} // namespace

std::unique_ptr<ValueConverter> MakeStringConverter(const ConverterSides &sides) {
	return std::make_unique<StringConverter>(sides);
}

} // namespace fingerprint::cli::copy
