/*
 * outcome.h: a finished transfer's result, from libcurl's answers about
 * its easy handle.
 */
#ifndef COFETCH_OUTCOME_H
#define COFETCH_OUTCOME_H

#include <curl/curl.h>

struct task;

void	outcome_collect(struct task *, CURL *);
void	outcome_classify(struct task *, CURLcode);

#endif
