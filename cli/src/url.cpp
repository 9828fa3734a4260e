#include "url.hpp"
#include "hex_digit.hpp"

#include "cli_error.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace fingerprint::cli {

namespace {

bool StartsWith(std::string_view text, std::string_view prefix) {
	return text.substr(0, prefix.size()) == prefix;
}

std::vector<std::string> Split(const std::string &text, char separator) {
	std::vector<std::string> parts;
	std::size_t start = 0;
	while (true) {
		const std::size_t end = text.find(separator, start);
		parts.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
		if (end == std::string::npos)
			return parts;
		start = end + 1;
	}
}

// Where passwords stand in an argument meant as a URL, as [begin, end) byte ranges: the
// password of a user part (user:PASSWORD@ after "//", even when the scheme before it is
// mistyped) and the value of every password=... (a URL parameter, or a libpq conninfo
// keyword, quoted or not). Redact and ScrubPasswordsInPlace share this one rule, so what
// an error message could print is what ps no longer shows.
std::vector<std::pair<std::size_t, std::size_t>> PasswordSpans(std::string_view url) {
	std::vector<std::pair<std::size_t, std::size_t>> spans;
	const std::size_t slashes = url.find("//");
	if (slashes != std::string::npos) {
		const std::size_t authority = slashes + 2;
		const std::size_t authority_end = std::min(url.find_first_of("/?#", authority), url.size());
		const std::size_t at = url.substr(0, authority_end).rfind('@');
		if (at != std::string::npos && at >= authority) {
			const std::size_t colon = url.find(':', authority);
			if (colon != std::string::npos && colon < at)
				spans.emplace_back(colon + 1, at);
		}
	}
	constexpr std::string_view kKey = "password=";
	for (std::size_t key = url.find(kKey); key != std::string::npos; key = url.find(kKey, key + 1)) {
		const bool starts_word =
		    key == 0 || url[key - 1] == '?' || url[key - 1] == '&' || url[key - 1] == ' ';
		if (!starts_word)
			continue;
		const std::size_t value = key + kKey.size();
		std::size_t end;
		if (value < url.size() && url[value] == '\'') { // conninfo: 'quoted value'
			const std::size_t close = url.find('\'', value + 1);
			end = close == std::string::npos ? url.size() : close + 1;
		} else {
			end = std::min(url.find_first_of("& ", value), url.size());
		}
		if (end > value)
			spans.emplace_back(value, end);
	}
	std::sort(spans.begin(), spans.end());
	return spans;
}

// The URL with every password replaced by ***.
std::string Redact(const std::string &url) {
	std::string out = url;
	const auto spans = PasswordSpans(url);
	for (auto span = spans.rbegin(); span != spans.rend(); ++span)
		out.replace(span->first, span->second - span->first, "***");
	return out;
}

ConnectionUrl ParsePostgresUrl(const std::string &url) {
	ConnectionUrl parsed;
	parsed.engine = Engine::postgresql;
	parsed.display = Redact(url);
	const std::size_t query = url.find('?');
	parsed.libpq_url = url.substr(0, query);
	if (query == std::string::npos)
		return parsed;
	std::string kept;
	for (const std::string &param : Split(url.substr(query + 1), '&')) {
		if (param.empty())
			continue;
		const std::size_t equals = param.find('=');
		const std::string key = PercentDecode(param.substr(0, equals));
		if (key == "schema") {
			if (equals == std::string::npos || equals + 1 == param.size())
				throw UsageError("empty schema in " + parsed.display);
			parsed.schema = PercentDecode(param.substr(equals + 1));
			continue;
		}
		kept += kept.empty() ? "?" : "&";
		kept += param;
	}
	parsed.libpq_url += kept;
	return parsed;
}

ConnectionUrl ParseMysqlUrl(const std::string &url, std::size_t scheme_length) {
	ConnectionUrl parsed;
	parsed.engine = Engine::mysql;
	parsed.display = Redact(url);
	std::string rest = url.substr(scheme_length);
	std::string query;
	if (const std::size_t q = rest.find('?'); q != std::string::npos) {
		query = rest.substr(q + 1);
		rest.resize(q);
	}
	const std::size_t slash = rest.find('/');
	std::string authority = rest.substr(0, slash);
	if (slash != std::string::npos)
		parsed.database = PercentDecode(rest.substr(slash + 1));
	if (parsed.database.empty() || parsed.database.find('/') != std::string::npos)
		throw UsageError("no database in " + parsed.display + ": write mysql://user@host:port/DATABASE");

	if (const std::size_t at = authority.rfind('@'); at != std::string::npos) {
		const std::string userinfo = authority.substr(0, at);
		authority = authority.substr(at + 1);
		const std::size_t colon = userinfo.find(':');
		parsed.user = PercentDecode(userinfo.substr(0, colon));
		if (colon != std::string::npos) {
			parsed.password = PercentDecode(userinfo.substr(colon + 1));
			parsed.has_password = true;
		}
	}
	std::string port;
	if (!authority.empty() && authority[0] == '[') { // [ipv6]:port
		const std::size_t close = authority.find(']');
		if (close == std::string::npos)
			throw UsageError("unclosed [ in the host of " + parsed.display);
		parsed.host = authority.substr(1, close - 1);
		if (close + 1 < authority.size()) {
			if (authority[close + 1] != ':')
				throw UsageError("unexpected text after ] in " + parsed.display);
			port = authority.substr(close + 2);
		}
	} else {
		const std::size_t colon = authority.find(':');
		parsed.host = PercentDecode(authority.substr(0, colon));
		if (colon != std::string::npos)
			port = authority.substr(colon + 1);
	}
	if (!port.empty()) {
		char *end = nullptr;
		const unsigned long value = std::strtoul(port.c_str(), &end, 10);
		if (*end != '\0' || value == 0 || value > 65535 || !std::isdigit(static_cast<unsigned char>(port[0])))
			throw UsageError("bad port '" + port + "' in " + parsed.display);
		parsed.port = static_cast<unsigned>(value);
	}
	for (const std::string &param : Split(query, '&')) {
		if (param.empty())
			continue;
		const std::size_t equals = param.find('=');
		const std::string key = PercentDecode(param.substr(0, equals));
		const std::string value = equals == std::string::npos ? "" : PercentDecode(param.substr(equals + 1));
		if (key == "socket")
			parsed.socket = value;
		else
			throw UsageError("unknown parameter '" + key + "' in " + parsed.display +
			                 " (mysql:// URLs take socket=)");
	}
	return parsed;
}

} // namespace

std::string PercentDecode(const std::string &text) {
	std::string out;
	out.reserve(text.size());
	for (std::size_t i = 0; i < text.size(); ++i) {
		if (text[i] != '%') {
			out += text[i];
			continue;
		}
		const int high = i + 2 < text.size() ? HexDigitValue(text[i + 1]) : -1;
		const int low = i + 2 < text.size() ? HexDigitValue(text[i + 2]) : -1;
		if (high < 0 || low < 0)
			throw UsageError("bad percent escape in '" + text + "'");
		out += static_cast<char>(high * 16 + low);
		i += 2;
	}
	return out;
}

void ScrubPasswordsInPlace(char *argument) {
	for (const auto &[begin, end] : PasswordSpans(argument))
		std::fill(argument + begin, argument + end, 'x');
}

ConnectionUrl ParseConnectionUrl(const std::string &url) {
	if (StartsWith(url, "postgresql://") || StartsWith(url, "postgres://"))
		return ParsePostgresUrl(url);
	if (StartsWith(url, "mysql://"))
		return ParseMysqlUrl(url, 8);
	if (StartsWith(url, "mariadb://"))
		return ParseMysqlUrl(url, 10);
	throw UsageError("'" + Redact(url) + "' is not a connection URL: use postgresql://... or mysql://...");
}

} // namespace fingerprint::cli
