#include "json.hpp"

#include "decimal.hpp"
#include "fingerprint/json_string.hpp"
#include "fingerprint/row_hasher.hpp"

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#define RAPIDJSON_HAS_STDSTRING 0
#include <rapidjson/encodedstream.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include "fingerprint/no_database_headers.hpp"

namespace fingerprint {

namespace {

// Zeros a JSON number may expand to; PostgreSQL's numeric itself stops near 147,000 digits.
constexpr std::int64_t kMaxJsonNumberZeros = 200000;

// A parsed JSON value. Scalars keep their canonical text in `text` (numbers already
// normalized, strings as decoded UTF-8); containers keep children.
struct Node {
	enum Kind { scalar, string, array, object } kind;
	std::string text;
	std::vector<std::pair<std::string, Node>> members; // objects
	std::vector<Node> elements;                        // arrays
};

// Builds Nodes from RapidJSON's SAX events (the iterative parser, so deep input cannot
// overflow the stack while parsing), refusing nesting deeper than kMaxJsonDepth.
class TreeBuilder {
  public:
	Status status = Status::ok;
	Node root{Node::scalar, {}, {}, {}};

	bool Null() { return Scalar("null"); }
	bool Bool(bool b) { return Scalar(b ? "true" : "false"); }
	bool Int(int) { return false; } // never called: numbers arrive as raw text
	bool Uint(unsigned) { return false; }
	bool Int64(std::int64_t) { return false; }
	bool Uint64(std::uint64_t) { return false; }
	bool Double(double) { return false; }
	bool RawNumber(const char *str, rapidjson::SizeType length, bool) {
		DecimalText parsed;
		DecimalLayout layout;
		if (!ParseDecimalText(std::string_view(str, length), &parsed))
			return Fail(Status::invalid_json);
		const Status s = LayoutOfDecimalText(parsed, kMaxJsonNumberZeros, &layout);
		if (s != Status::ok)
			return Fail(s);
		std::string canonical;
		canonical.reserve(CanonicalDecimalLength(layout));
		WriteCanonicalDecimal(layout, TextDigits{&parsed},
		                      [&](const char *data, std::size_t n) { canonical.append(data, n); });
		return Scalar(std::move(canonical));
	}
	bool String(const char *str, rapidjson::SizeType length, bool) {
		Node node{Node::string, std::string(str, length), {}, {}};
		return Place(std::move(node));
	}
	bool StartObject() { return Open(Node::object); }
	bool Key(const char *str, rapidjson::SizeType length, bool) {
		pending_key_.assign(str, length);
		return true;
	}
	bool EndObject(rapidjson::SizeType) { return Close(); }
	bool StartArray() { return Open(Node::array); }
	bool EndArray(rapidjson::SizeType) { return Close(); }

  private:
	bool Fail(Status s) {
		status = s;
		return false;
	}
	bool Scalar(std::string text) { return Place(Node{Node::scalar, std::move(text), {}, {}}); }
	// Puts a finished node into its parent (or the root) and returns where it now lives.
	Node *Insert(Node &&node) {
		if (open_.empty()) {
			root = std::move(node);
			return &root;
		}
		Node *parent = open_.back();
		if (parent->kind == Node::array) {
			parent->elements.push_back(std::move(node));
			return &parent->elements.back();
		}
		parent->members.emplace_back(std::move(pending_key_), std::move(node));
		pending_key_.clear();
		return &parent->members.back().second;
	}
	bool Place(Node &&node) {
		Insert(std::move(node));
		return true;
	}
	bool Open(Node::Kind kind) {
		if (open_.size() >= static_cast<std::size_t>(kMaxJsonDepth))
			return Fail(Status::json_too_deep);
		// Children are appended to the parent's vector while it is open, which may move
		// it; so open containers are built detached and inserted when they close.
		stack_.push_back(std::make_unique<Node>(Node{kind, {}, {}, {}}));
		keys_.push_back(std::move(pending_key_));
		pending_key_.clear();
		open_.push_back(stack_.back().get());
		return true;
	}
	bool Close() {
		std::unique_ptr<Node> done = std::move(stack_.back());
		stack_.pop_back();
		open_.pop_back();
		pending_key_ = std::move(keys_.back());
		keys_.pop_back();
		return Place(std::move(*done));
	}

	std::vector<std::unique_ptr<Node>> stack_;
	std::vector<Node *> open_;
	std::vector<std::string> keys_;
	std::string pending_key_;
};

// Recursion depth is bounded by kMaxJsonDepth, enforced while parsing.
void WriteNode(Node &node, std::string *out) {
	switch (node.kind) {
	case Node::scalar:
		out->append(node.text);
		return;
	case Node::string:
		AppendJsonString(node.text, out);
		return;
	case Node::array:
		out->push_back('[');
		for (std::size_t i = 0; i < node.elements.size(); i++) {
			if (i)
				out->push_back(',');
			WriteNode(node.elements[i], out);
		}
		out->push_back(']');
		return;
	case Node::object: {
		auto &members = node.members;
		// Stable sort keeps duplicates in input order, so the last of each run wins.
		std::stable_sort(members.begin(), members.end(),
		                 [](const auto &a, const auto &b) { return a.first < b.first; });
		out->push_back('{');
		bool first = true;
		for (std::size_t i = 0; i < members.size(); i++) {
			if (i + 1 < members.size() && members[i + 1].first == members[i].first)
				continue; // a later duplicate replaces this one
			if (!first)
				out->push_back(',');
			first = false;
			AppendJsonString(members[i].first, out);
			out->push_back(':');
			WriteNode(members[i].second, out);
		}
		out->push_back('}');
		return;
	}
	}
}

} // namespace

Status CanonicalizeJson(std::string_view text, std::string *out) {
	constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag |
	                            rapidjson::kParseValidateEncodingFlag;
	rapidjson::MemoryStream memory(text.data(), text.size());
	rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> input(memory);
	TreeBuilder builder;
	rapidjson::Reader reader;
	const rapidjson::ParseResult result = reader.Parse<kFlags>(input, builder);
	if (!result) {
		if (builder.status != Status::ok)
			return builder.status;
		// RapidJSON refuses magnitudes beyond 1e308 even when numbers stay text; MySQL
		// cannot store them either. Say so rather than "not valid JSON".
		switch (result.Code()) {
		case rapidjson::kParseErrorNumberTooBig:
			return Status::number_out_of_range;
		case rapidjson::kParseErrorStringInvalidEncoding:
			return Status::invalid_utf8;
		default:
			return Status::invalid_json;
		}
	}
	out->clear();
	out->reserve(text.size());
	WriteNode(builder.root, out);
	return Status::ok;
}

void AppendJsonString(std::string_view value, std::string *out) {
	const std::size_t start = out->size();
	const std::size_t length = FormatJsonString(value, nullptr, 0);
	out->resize(start + length);
	FormatJsonString(value, &(*out)[start], length);
}

} // namespace fingerprint
