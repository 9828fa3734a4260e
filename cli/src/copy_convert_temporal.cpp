// Dates, timestamps and times (docs/FORMAT.md: days and microseconds, whatever the
// declared precision; timestamptz/TIMESTAMP taken in UTC, timestamp/DATETIME as UTC wall
// clock). Both sessions run in UTC (SessionSettings), so an instant's text is its UTC
// wall clock and can go into either kind of target unchanged. What is checked: a real
// day of the calendar (MySQL zero and invalid dates have no PostgreSQL counterpart), the
// target's range (MySQL: years 1000-9999, TIMESTAMP 1970-2038; PostgreSQL time: 0 to
// 24:00:00), and fractional digits the target's precision would round away.
#include "copy_convert_parts.hpp"

#include "cli_error.hpp"

#include <cstdio>

namespace fingerprint::cli::copy {

namespace {

enum class Special { none, infinity, minus_infinity };

struct Moment {
	Special special = Special::none;
	bool negative = false; // a MySQL TIME below zero
	long long year = 0;    // as written; with `bc` PostgreSQL's year before Christ
	bool bc = false;
	int month = 0;
	int day = 0;
	long long hour = 0; // a MySQL TIME's hours go to 838
	int minute = 0;
	int second = 0;
	std::string_view fraction; // trailing zeros removed
};

class Cursor {
  public:
	explicit Cursor(std::string_view text) : text_(text) {}
	bool Number(std::size_t min_digits, std::size_t max_digits, long long *value) {
		std::size_t digits = 0;
		*value = 0;
		while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9' && digits < max_digits) {
			*value = *value * 10 + (text_[pos_++] - '0');
			++digits;
		}
		return digits >= min_digits;
	}
	bool Int2(int *value) {
		long long v = 0;
		if (!Number(2, 2, &v))
			return false;
		*value = static_cast<int>(v);
		return true;
	}
	bool Skip(char c) {
		if (pos_ < text_.size() && text_[pos_] == c) {
			++pos_;
			return true;
		}
		return false;
	}
	bool Skip(std::string_view word) {
		if (text_.substr(pos_, word.size()) == word) {
			pos_ += word.size();
			return true;
		}
		return false;
	}
	std::string_view Digits() {
		const std::size_t start = pos_;
		while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9')
			++pos_;
		return text_.substr(start, pos_ - start);
	}
	bool AtEnd() const { return pos_ == text_.size(); }

  private:
	std::string_view text_;
	std::size_t pos_ = 0;
};

bool ReadFraction(Cursor &cursor, Moment *moment) {
	if (!cursor.Skip('.'))
		return true;
	std::string_view fraction = cursor.Digits();
	if (fraction.empty() || fraction.size() > 6)
		return false;
	while (!fraction.empty() && fraction.back() == '0')
		fraction.remove_suffix(1);
	moment->fraction = fraction;
	return true;
}

bool ReadClock(Cursor &cursor, Moment *moment, std::size_t max_hour_digits) {
	if (!cursor.Number(2, max_hour_digits, &moment->hour) || !cursor.Skip(':') ||
	    !cursor.Int2(&moment->minute) || !cursor.Skip(':') || !cursor.Int2(&moment->second))
		return false;
	return moment->minute < 60 && moment->second < 60 && ReadFraction(cursor, moment);
}

// "YYYY-MM-DD[ HH:MM:SS[.ffffff]][+00][ BC]", or PostgreSQL's infinities.
bool ReadDateTime(std::string_view text, bool with_clock, Moment *moment) {
	*moment = Moment();
	if (text == "infinity" || text == "-infinity") {
		moment->special = text[0] == '-' ? Special::minus_infinity : Special::infinity;
		return true;
	}
	Cursor cursor(text);
	long long month = 0;
	long long day = 0;
	if (!cursor.Number(4, 9, &moment->year) || !cursor.Skip('-') || !cursor.Number(2, 2, &month) ||
	    !cursor.Skip('-') || !cursor.Number(2, 2, &day))
		return false;
	moment->month = static_cast<int>(month);
	moment->day = static_cast<int>(day);
	if (with_clock && (!cursor.Skip(' ') || !ReadClock(cursor, moment, 2) || moment->hour > 23))
		return false;
	const bool utc_offset_ok =
	    !cursor.Skip('+') || (cursor.Skip("00") && (!cursor.Skip(':') || cursor.Skip("00")));
	if (!utc_offset_ok)
		return false;
	moment->bc = cursor.Skip(" BC");
	return cursor.AtEnd();
}

// "[-]H+:MM:SS[.ffffff]".
bool ReadTime(std::string_view text, Moment *moment) {
	*moment = Moment();
	Cursor cursor(text);
	moment->negative = cursor.Skip('-');
	return ReadClock(cursor, moment, 3) && cursor.AtEnd();
}

bool IsLeap(long long year) {
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

// A day of the proleptic Gregorian calendar (PostgreSQL's 1 BC is year 0, a leap year).
bool IsRealDay(const Moment &moment) {
	if (moment.month < 1 || moment.month > 12 || moment.day < 1 || (!moment.bc && moment.year == 0))
		return false;
	static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	const long long astronomical = moment.bc ? 1 - moment.year : moment.year;
	const int days = kDays[moment.month - 1] + (moment.month == 2 && IsLeap(astronomical) ? 1 : 0);
	return moment.day <= days;
}

// `value` in decimal, zero-padded to `width` digits (no snprintf: it runs per value).
void AppendPadded(long long value, int width, std::string &out) {
	char buffer[24];
	char *end = buffer + sizeof buffer;
	char *p = end;
	do {
		*--p = static_cast<char>('0' + value % 10);
		value /= 10;
	} while (value != 0);
	while (end - p < width)
		*--p = '0';
	out.append(p, static_cast<std::size_t>(end - p));
}

enum class Shape { date, timestamp, time };

Shape ShapeOf(Kind kind) {
	return kind == Kind::date ? Shape::date : kind == Kind::time ? Shape::time : Shape::timestamp;
}

class TemporalConverter : public ValueConverter {
  public:
	explicit TemporalConverter(const ConverterSides &sides)
	    : shape_(ShapeOf(sides.source.kind)), source_mysql_(sides.source_engine == Engine::mysql),
	      target_postgres_(sides.target_engine == Engine::postgresql),
	      target_instant_(sides.target.kind == Kind::timestamptz),
	      fraction_digits_(static_cast<std::size_t>(FractionDigits(sides.target))),
	      target_type_(sides.target_type) {
		if (ShapeOf(sides.target.kind) != shape_)
			throw Error("internal: temporal converter between " + target_type_ + " and another shape");
	}

	bool Convert(std::string_view in, std::string &out, std::string &reason) const override {
		out.clear();
		Moment moment;
		const bool read = shape_ == Shape::time ? ReadTime(in, &moment)
		                                        : ReadDateTime(in, shape_ == Shape::timestamp, &moment);
		if (!read) {
			reason = "value " + ShownValue(in) + " is not a " + (shape_ == Shape::time ? "time" : "date") +
			         " this copy can read";
			return false;
		}
		bool passthrough = false;
		if (!Fits(in, moment, reason, &passthrough))
			return false;
		if (passthrough) {
			out.assign(in.data(), in.size());
			return true;
		}
		Write(moment, out);
		return true;
	}

  private:
	bool Refuse(std::string_view in, const std::string &why, std::string &reason) const {
		reason = "value " + std::string(in) + " " + why;
		return false;
	}

	// *passthrough: the value goes as the source wrote it (a MySQL invalid date).
	bool Fits(std::string_view in, const Moment &moment, std::string &reason, bool *passthrough) const {
		if (moment.fraction.size() > fraction_digits_)
			return Refuse(in, "has more fractional digits than " + target_type_ + " keeps", reason);
		if (shape_ == Shape::time)
			return FitsTime(in, moment, reason);
		if (moment.special != Special::none) {
			if (!target_postgres_)
				return Refuse(in, "has no counterpart in " + target_type_, reason);
			return true;
		}
		if (!IsRealDay(moment)) {
			// MySQL's zero and invalid dates are data a MySQL target stores as they are
			// (the target session allows them): the fingerprint is the engine's text.
			const bool zero = moment.year == 0 && moment.month == 0 && moment.day == 0;
			const bool well_formed = moment.month <= 12 && moment.day <= 31;
			if (source_mysql_ && !target_postgres_ && well_formed && (!target_instant_ || zero)) {
				*passthrough = true;
				return true;
			}
			return Refuse(in,
			              "is no day of the calendar (a MySQL zero or invalid date), so " + target_type_ +
			                  " has no counterpart",
			              reason);
		}
		if (target_postgres_)
			return true;
		if (moment.bc || moment.year < 1000 || moment.year > 9999)
			return Refuse(in, "is outside the years 1000-9999 of " + target_type_, reason);
		if (target_instant_ && shape_ == Shape::timestamp && !InTimestampRange(moment))
			return Refuse(in,
			              "is outside the range of " + target_type_ +
			                  " (1970-01-01 00:00:01 to 2038-01-19 03:14:07.999999 UTC)",
			              reason);
		return true;
	}

	static bool InTimestampRange(const Moment &m) {
		char text[32];
		std::snprintf(text, sizeof text, "%04lld-%02d-%02d %02lld:%02d:%02d", m.year, m.month, m.day, m.hour,
		              m.minute, m.second);
		const std::string_view value(text);
		return value >= "1970-01-01 00:00:01" && value <= "2038-01-19 03:14:07";
	}

	bool FitsTime(std::string_view in, const Moment &moment, std::string &reason) const {
		const bool zero =
		    moment.hour == 0 && moment.minute == 0 && moment.second == 0 && moment.fraction.empty();
		if (target_postgres_) {
			if (moment.negative && !zero)
				return Refuse(in, "is below zero: " + target_type_ + " is a time of day", reason);
			const bool beyond =
			    moment.hour > 24 ||
			    (moment.hour == 24 && (moment.minute != 0 || moment.second != 0 || !moment.fraction.empty()));
			if (beyond)
				return Refuse(in, "is beyond 24:00:00: " + target_type_ + " is a time of day", reason);
			return true;
		}
		if (moment.hour > 838)
			return Refuse(in, "is beyond 838:59:59.999999, the range of " + target_type_, reason);
		return true;
	}

	void Write(const Moment &moment, std::string &out) const {
		if (moment.special != Special::none) {
			out += moment.special == Special::infinity ? "infinity" : "-infinity";
			return;
		}
		if (shape_ == Shape::time) {
			const bool zero =
			    moment.hour == 0 && moment.minute == 0 && moment.second == 0 && moment.fraction.empty();
			if (moment.negative && !zero)
				out += '-';
			AppendClock(moment, out);
			return;
		}
		AppendPadded(moment.year, 4, out);
		out += '-';
		AppendPadded(moment.month, 2, out);
		out += '-';
		AppendPadded(moment.day, 2, out);
		if (shape_ == Shape::timestamp) {
			out += ' ';
			AppendClock(moment, out);
			if (target_postgres_ && target_instant_)
				out += "+00";
		}
		if (moment.bc)
			out += " BC";
	}

	static void AppendClock(const Moment &moment, std::string &out) {
		AppendPadded(moment.hour, 2, out);
		out += ':';
		AppendPadded(moment.minute, 2, out);
		out += ':';
		AppendPadded(moment.second, 2, out);
		if (!moment.fraction.empty()) {
			out += '.';
			out.append(moment.fraction);
		}
	}

	Shape shape_;
	bool source_mysql_;
	bool target_postgres_;
	bool target_instant_;
	std::size_t fraction_digits_;
	std::string target_type_;
};

} // namespace

std::unique_ptr<ValueConverter> MakeTemporalConverter(const ConverterSides &sides) {
	return std::make_unique<TemporalConverter>(sides);
}

} // namespace fingerprint::cli::copy
