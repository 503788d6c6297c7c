/* lib_test.c: KTAP suite for pagoda's string, number-parsing, printf and seq_buf helpers. */
#include <kernel/kunit.h>
#include <kernel/seq_buf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void snprintf_ints(struct kunit *test)
{
	char b[64];

	snprintf(b, sizeof(b), "%d|%5d|%-5d|%05d|%u", -42, 7, 7, -7, 4000000000u);
	KUNIT_EXPECT_STREQ(test, b, "-42|    7|7    |-0007|4000000000");
	snprintf(b, sizeof(b), "%lx|%016llx|%#x|%X|%o", 0xdeadUL, 0x3bffffffULL, 0x10, 0xabc, 8);
	KUNIT_EXPECT_STREQ(test, b, "dead|000000003bffffff|0x10|ABC|10");
	snprintf(b, sizeof(b), "%zu|%lld|%hhu", (size_t)12345, -9000000000LL, 300);
	KUNIT_EXPECT_STREQ(test, b, "12345|-9000000000|44");
}

static void snprintf_strings(struct kunit *test)
{
	char b[32];

	snprintf(b, sizeof(b), "[%8s][%-4s][%.2s][%c]", "Normal", "DMA", "xyz", 'q');
	KUNIT_EXPECT_STREQ(test, b, "[  Normal][DMA ][xy][q]");
	snprintf(b, sizeof(b), "%*d|%-*s|", 4, 1, 3, "a");
	KUNIT_EXPECT_STREQ(test, b, "   1|a  |");
}

static void snprintf_truncates(struct kunit *test)
{
	char b[8];
	int n = snprintf(b, sizeof(b), "0123456789");

	KUNIT_EXPECT_EQ(test, n, 10);
	KUNIT_EXPECT_STREQ(test, b, "0123456");
	KUNIT_EXPECT_EQ(test, snprintf(NULL, 0, "%d", 12345), 5);
}

static void strtoul_bases(struct kunit *test)
{
	char *end;

	KUNIT_EXPECT_EQ(test, strtoul("0x3f201000", &end, 0), 0x3f201000UL);
	KUNIT_EXPECT_EQ(test, *end, '\0');
	KUNIT_EXPECT_EQ(test, strtoull("ffff000000000000", NULL, 16), 0xffff000000000000ULL);
	KUNIT_EXPECT_EQ(test, strtoul("123abc", &end, 10), 123UL);
	KUNIT_EXPECT_STREQ(test, end, "abc");
	strtoul("zz", &end, 0);
	KUNIT_EXPECT_STREQ(test, end, "zz");
}

static void string_functions(struct kunit *test)
{
	char b[16] = "hello";
	const char *hay = "/proc/buddyinfo";

	KUNIT_EXPECT_EQ(test, strlen(b), 5UL);
	KUNIT_EXPECT_EQ(test, strnlen(b, 3), 3UL);
	KUNIT_EXPECT_TRUE(test, strcmp("abc", "abd") < 0);
	KUNIT_EXPECT_EQ(test, strncmp("abcx", "abcy", 3), 0);
	KUNIT_EXPECT_TRUE(test, strchr(hay, 'b') == hay + 6);
	KUNIT_EXPECT_TRUE(test, strrchr(hay, '/') == hay + 5);
	KUNIT_EXPECT_TRUE(test, strstr(hay, "info") == hay + 11);
	KUNIT_EXPECT_NULL(test, strstr(hay, "slab"));
	memmove(b + 1, b, 6);
	KUNIT_EXPECT_STREQ(test, b, "hhello");
	memset(b, 'x', 3);
	KUNIT_EXPECT_EQ(test, memcmp(b, "xxxllo", 6), 0);
	KUNIT_EXPECT_EQ(test, strspn("  x", " "), 2UL);
	KUNIT_EXPECT_EQ(test, strcspn("ab;c", ";"), 2UL);
}

static void seq_buf_overflow(struct kunit *test)
{
	char b[10];
	struct seq_buf s;

	seq_buf_init(&s, b, sizeof(b));
	seq_buf_printf(&s, "%s", "12345");
	KUNIT_EXPECT_FALSE(test, s.overflow);
	seq_buf_printf(&s, "%s", "67890");
	KUNIT_EXPECT_TRUE(test, s.overflow);
	KUNIT_EXPECT_EQ(test, s.len, 9UL);
	KUNIT_EXPECT_STREQ(test, seq_buf_str(&s), "123456789");
}

kunit_test_suite_smp(lib,
	KUNIT_CASE(snprintf_ints),
	KUNIT_CASE(snprintf_strings),
	KUNIT_CASE(snprintf_truncates),
	KUNIT_CASE(strtoul_bases),
	KUNIT_CASE(string_functions),
	KUNIT_CASE(seq_buf_overflow));
