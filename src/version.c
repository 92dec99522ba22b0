/*
 * version.c: the versions of cofetch and of the four libraries it runs
 * on, as linked at run time (not as compiled), for --version and bug
 * reports.
 */
#include "config.h"

#include <stdio.h>

#include <ares.h>
#include <cJSON.h>
#include <curl/curl.h>
#include <event2/event.h>

#include "version.h"

void
version_print(void)
{
	const curl_version_info_data	*cv;

	cv = curl_version_info(CURLVERSION_NOW);
	printf("cofetch %s\n", PACKAGE_VERSION);
	printf("libcurl %s%s%s\n", cv->version, cv->ssl_version ? " " : "",
	    cv->ssl_version ? cv->ssl_version : "");
	printf("c-ares %s\n", ares_version(NULL));
	printf("libevent %s\n", event_get_version());
	printf("cJSON %s\n", cJSON_Version());
	printf("License: MIT (free software; see LICENSE)\n");
}
