/*
 * outcome.h: a finished transfer's result, from libcurl's answers about
 * its easy handle, into its job.
 */
#ifndef COFETCH_OUTCOME_H
#define COFETCH_OUTCOME_H

#include <curl/curl.h>

struct xfer_job;

void	outcome_collect(struct xfer_job *, CURL *);
void	outcome_cut(struct xfer_job *, CURL *);
void	outcome_classify(struct xfer_job *, CURLcode);

#endif
