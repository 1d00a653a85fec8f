// SPDX-License-Identifier: MIT
/*
 * version.c - cmwq_version(), cmwq_version_string(), cmwq_check_version()
 * and the CMWQ_VERSION_* macros agree with each other and with the build.
 */
#include <cmwq.h>

#include <stdio.h>
#include <string.h>

#include "harness.h"

static void test_version(void)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%d.%d.%d", CMWQ_VERSION_MAJOR,
		 CMWQ_VERSION_MINOR, CMWQ_VERSION_PATCH);
	CHECK(strcmp(buf, CMWQ_VERSION_STRING) == 0);
	CHECK(strcmp(buf, CMWQ_PROJECT_VERSION) == 0);
	CHECK(strcmp(cmwq_version_string(), CMWQ_VERSION_STRING) == 0);
	CHECK(cmwq_version() == CMWQ_VERSION);
	CHECK(CMWQ_VERSION == CMWQ_VERSION_NUMBER(CMWQ_VERSION_MAJOR,
						  CMWQ_VERSION_MINOR,
						  CMWQ_VERSION_PATCH));
	CHECK(CMWQ_VERSION_NUMBER(0, 2, 0) < CMWQ_VERSION_NUMBER(0, 10, 0));
	CHECK(CMWQ_VERSION_NUMBER(1, 0, 0) > CMWQ_VERSION_NUMBER(0, 255, 255));

	CHECK(cmwq_check_version(CMWQ_VERSION_MAJOR, 0, 0));
	CHECK(cmwq_check_version(CMWQ_VERSION_MAJOR, CMWQ_VERSION_MINOR,
				 CMWQ_VERSION_PATCH));
	CHECK(!cmwq_check_version(CMWQ_VERSION_MAJOR, CMWQ_VERSION_MINOR,
				  CMWQ_VERSION_PATCH + 1));
	CHECK(!cmwq_check_version(CMWQ_VERSION_MAJOR, CMWQ_VERSION_MINOR + 1,
				  0));
	CHECK(!cmwq_check_version(CMWQ_VERSION_MAJOR + 1, 0, 0));
}

int main(void)
{
	RUN_TEST(test_version);
	return 0;
}
