// Connection URLs: what each part becomes, and where passwords go (never printed, gone
// from argv once parsed).
#include "cli_error.hpp"
#include "url.hpp"

#include <gtest/gtest.h>

#include <string>

namespace fingerprint::cli {
namespace {

TEST(Url, PostgresKeepsLibpqUrlAndTakesSchema) {
	const ConnectionUrl url = ParseConnectionUrl("postgresql://u@h:5433/db?schema=s%20x&sslmode=require");
	EXPECT_EQ(url.engine, Engine::postgresql);
	EXPECT_EQ(url.schema, "s x");
	EXPECT_EQ(url.libpq_url, "postgresql://u@h:5433/db?sslmode=require");
	EXPECT_EQ(ParseConnectionUrl("postgres://h/db").schema, "public");
}

TEST(Url, MysqlParts) {
	const ConnectionUrl url = ParseConnectionUrl("mysql://us%40r:p%3Aw@[::1]:3307/sh%C3%B6p?socket=/s.sock");
	EXPECT_EQ(url.engine, Engine::mysql);
	EXPECT_EQ(url.user, "us@r");
	EXPECT_EQ(url.password, "p:w");
	EXPECT_TRUE(url.has_password);
	EXPECT_EQ(url.host, "::1");
	EXPECT_EQ(url.port, 3307u);
	EXPECT_EQ(url.database, "sh\xC3\xB6p");
	EXPECT_EQ(url.socket, "/s.sock");
	EXPECT_FALSE(ParseConnectionUrl("mariadb://u@h/db").has_password);
}

TEST(Url, RefusesWhatItCannotUse) {
	EXPECT_THROW(ParseConnectionUrl("mysql://u@h"), UsageError);          // no database
	EXPECT_THROW(ParseConnectionUrl("mysql://u@h:99999/db"), UsageError); // port
	EXPECT_THROW(ParseConnectionUrl("mysql://u@h/db?ssl=1"), UsageError); // unknown parameter
	EXPECT_THROW(ParseConnectionUrl("mysql://u@h/d%zzb"), UsageError);    // bad escape
	EXPECT_THROW(ParseConnectionUrl("oracle://u@h/db"), UsageError);      // engine
	EXPECT_THROW(ParseConnectionUrl("postgresql://h/db?schema="), UsageError);
}

TEST(Url, DisplayHidesEveryPassword) {
	EXPECT_EQ(ParseConnectionUrl("mysql://u:secret@h/db").display, "mysql://u:***@h/db");
	EXPECT_EQ(ParseConnectionUrl("postgresql://u:secret@h/db?password=other&x=1").display,
	          "postgresql://u:***@h/db?password=***&x=1");
	try {
		ParseConnectionUrl("sqlite://u:secret@h/db");
		FAIL();
	} catch (const UsageError &error) {
		EXPECT_EQ(std::string(error.what()).find("secret"), std::string::npos);
	}
}

TEST(Url, ScrubOverwritesPasswordsInPlace) {
	char mysql[] = "mysql://u:secret@h/db";
	ScrubPasswordsInPlace(mysql);
	EXPECT_STREQ(mysql, "mysql://u:xxxxxx@h/db");
	char postgres[] = "postgresql://u@h/db?password=pw&schema=s&password=two";
	ScrubPasswordsInPlace(postgres);
	EXPECT_STREQ(postgres, "postgresql://u@h/db?password=xx&schema=s&password=xxx");
	char at_in_path[] = "mysql://u@h/db@x";
	ScrubPasswordsInPlace(at_in_path);
	EXPECT_STREQ(at_in_path, "mysql://u@h/db@x");
	char not_a_url[] = "user:password@host";
	ScrubPasswordsInPlace(not_a_url);
	EXPECT_STREQ(not_a_url, "user:password@host");
}

} // namespace
} // namespace fingerprint::cli

namespace fingerprint::cli {
namespace {

TEST(Url, PasswordsOfArgumentsThatAreNoUrlAreHiddenToo) {
	for (const char *argument :
	     {"host=/tmp user=postgres password=S3cretPW dbname=x", "host=/tmp password='S3cret PW' dbname=x",
	      "password='S3cretPW", "postgresql//u:S3cretPW@h/db", "mysql:/u@h/db?password=S3cretPW&x=1"}) {
		try {
			ParseConnectionUrl(argument);
			ADD_FAILURE() << argument << " was accepted";
		} catch (const UsageError &error) {
			EXPECT_EQ(std::string(error.what()).find("S3cret"), std::string::npos) << error.what();
		}
		std::string scrubbed = argument;
		ScrubPasswordsInPlace(scrubbed.data());
		EXPECT_EQ(scrubbed.find("S3cret"), std::string::npos) << scrubbed;
		EXPECT_EQ(scrubbed.size(), std::string(argument).size());
	}
}

} // namespace
} // namespace fingerprint::cli
