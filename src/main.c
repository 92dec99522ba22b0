/*
 * main.c: cofetch's entry point.  Wires the modules onto one event loop,
 * turns signals and a closed standard output into an orderly stop, prints
 * the summary and maps the outcome to the exit status of the contract.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cJSON.h>
#include <curl/curl.h>
#include <event2/event.h>

#include "clock.h"
#include "dns.h"
#include "doneset.h"
#include "gate.h"
#include "input.h"
#include "loop.h"
#include "merge.h"
#include "msg.h"
#include "opts.h"
#include "progress.h"
#include "result.h"
#include "save.h"
#include "sched.h"
#include "sink.h"
#include "spool.h"
#include "validators.h"
#include "xfer.h"
#include "xmalloc.h"

#define EXIT_OK		0
#define EXIT_FAILED	1
#define EXIT_USAGE	2
#define EXIT_SIGPIPE	141

/*
 * Descriptors a task holds: its connection, a second one for a while
 * when a dual-stack host is tried over both families (counted as a
 * quarter: they are brief, and running out mid-run only ends a task as a
 * connect error), and its -o file.
 */
#define FDS_RESERVED	64

/*
 * -f body: what all held bodies may keep in memory together; the rest
 * waits in a temporary file.
 */
#define BODY_MEMORY	(16 * 1024 * 1024)

struct app {
	struct config		 cfg;
	struct event_base	*base;
	struct input		*input;
	struct sink		*sink;
	struct dns		*dns;
	struct xfer		*xfer;
	struct spool		*spool;		/* -f body */
	struct saver		*saver;		/* -o */
	struct doneset		*done;		/* --skip-done */
	struct validators	*validators;	/* --revalidate */
	struct progress		*progress;	/* --progress */
	struct event		*deadline;	/* --deadline */
	int			 deadline_hit;
	struct sched		*sched;
	struct event		*sigev;		/* a signal reached the loop */
	int			 signal;	/* the one that stopped us */
	int64_t			 t0;
};

/*
 * -j beyond what the open-file limit allows would fail transfers at
 * random; raise the soft limit to the hard one, then lower -j to fit.
 */
static void
fit_jobs_to_fd_limit(struct config *cfg)
{
	struct rlimit	rl;
	rlim_t		need, fit, per4;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	per4 = 5 + (cfg->output_dir != NULL ? 4 : 0);	/* in quarters */
	need = (rlim_t)cfg->jobs * per4 / 4 + FDS_RESERVED;
	if (rl.rlim_cur < need && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max < need ? rl.rlim_max : need;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur >= need)
		return;
	fit = rl.rlim_cur > FDS_RESERVED + 4 ?
	    (rl.rlim_cur - FDS_RESERVED) * 4 / per4 : 1;
	msg_warn("-j %u needs more open files than the limit (%llu) allows; "
	    "using -j %llu", cfg->jobs, (unsigned long long)rl.rlim_cur,
	    (unsigned long long)fit);
	cfg->jobs = (unsigned)fit;
}

/*
 * The signal handler's state, the only globals: a handler can reach
 * nothing else.  The first SIGINT or SIGTERM is passed to the loop through
 * a pipe and stops the run in order; a second one ends the process at
 * once, even if the loop is stuck writing to a reader that stopped.
 */
static volatile sig_atomic_t	signal_caught;
static int			signal_pipe[2] = { -1, -1 };

static void
signal_handler(int sig)
{
	int	saved = errno;
	ssize_t	n;

	if (signal_caught != 0) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	signal_caught = sig;
	n = write(signal_pipe[1], "", 1);	/* cannot fail: one byte, once */
	(void)n;
	errno = saved;
}

static void
on_signal(evutil_socket_t fd, short what, void *arg)
{
	struct app	*app = arg;
	char		 why[64], byte;

	(void)what;
	if (read(fd, &byte, 1) != 1 || app->signal != 0)
		return;
	app->signal = signal_caught;
	snprintf(why, sizeof why, "interrupted by %s",
	    app->signal == SIGINT ? "SIGINT" : "SIGTERM");
	sched_stop(app->sched, why);
}

/*
 * libidn2 (inside libcurl) reads host names in the locale's charset, and
 * URLs are UTF-8 whatever the locale: use it for character types only,
 * so internationalised names work under LC_ALL=C too.  Numbers stay C.
 */
static void
locale_for_urls(void)
{
	if (setlocale(LC_CTYPE, "") == NULL ||
	    strcmp(nl_langinfo(CODESET), "UTF-8") != 0)
		setlocale(LC_CTYPE, "C.UTF-8");
}

static void
on_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct app	*app = arg;

	(void)fd;
	(void)what;
	app->deadline_hit = 1;
	sched_stop(app->sched, "the run's --deadline passed");
}

/* The run's budget counts from the start, like the summary's time. */
static void
app_deadline(struct app *app)
{
	struct timeval	tv;

	if (app->cfg.deadline_ms == 0)
		return;
	tv = clock_timeval(app->cfg.deadline_ms * 1000);
	app->deadline = evtimer_new(app->base, on_deadline, app);
	if (app->deadline == NULL || evtimer_add(app->deadline, &tv) != 0)
		msg_fatal("cannot set the run's deadline");
	sched_set_deadline(app->sched, clock_us() + app->cfg.deadline_ms * 1000);
}

static void
on_output_closed(void *arg)
{
	struct app	*app = arg;

	sched_abort(app->sched);
}

/*
 * The contract's line, then one of detail: the rate and, when some
 * failed, how many of each kind.
 */
static void
print_summary(const struct app *app)
{
	const struct sink_counts	*c = sink_counts(app->sink);
	const struct gate_stats		*pauses = gate_stats(sched_gate(app->sched));
	char				 detail[512];
	const char			*sep = "; failed: ";
	size_t				 len;
	double				 secs;
	int				 e;

	secs = (double)(clock_us() - app->t0) / 1e6;
	msg_warn("%llu results: %llu ok, %llu failed, %llu cancelled in %.3f s",
	    (unsigned long long)c->results, (unsigned long long)c->ok,
	    (unsigned long long)c->failed, (unsigned long long)c->cancelled,
	    secs);
	if (app->signal != 0)
		msg_warn("stopped by %s: tasks in flight were cancelled, "
		    "unread input was left unread",
		    app->signal == SIGINT ? "SIGINT" : "SIGTERM");
	else if (app->deadline_hit)
		msg_warn("stopped by --deadline: tasks waiting or in flight "
		    "were cancelled, unread input was left unread");
	len = (size_t)snprintf(detail, sizeof detail, "%.0f results/s",
	    secs > 0 ? (double)c->results / secs : 0.0);
	if (app->done != NULL)
		len += (size_t)snprintf(detail + len, sizeof detail - len,
		    "; %llu lines skipped as done (--skip-done)",
		    (unsigned long long)sched_skipped(app->sched));
	if (pauses->pauses > 0)
		len += (size_t)snprintf(detail + len, sizeof detail - len,
		    "; %llu host pauses, %.1f s in all (429)",
		    (unsigned long long)pauses->pauses,
		    (double)pauses->paused_us / 1e6);
	if (app->cfg.unique)
		len += (size_t)snprintf(detail + len, sizeof detail - len,
		    "; %llu repeated lines skipped (--unique)",
		    (unsigned long long)sched_repeats(app->sched));
	for (e = ERR_NONE + 1; e < ERR__COUNT && len < sizeof detail; e++) {
		if (e == ERR_CANCELLED || c->by_error[e] == 0)
			continue;
		len += (size_t)snprintf(detail + len, sizeof detail - len,
		    "%s%llu %s", sep, (unsigned long long)c->by_error[e],
		    err_name(e));
		sep = ", ";
	}
	msg_warn("%s", detail);
}

static int
probe_total(const void *sched, uint64_t *n)
{
	return sched_total(sched, n);
}

static unsigned
probe_in_flight(const void *sched)
{
	return sched_in_flight(sched);
}

static unsigned
probe_paused(const void *sched)
{
	return gate_paused(sched_gate(sched));
}

static void
app_progress(struct app *app)
{
	struct progress_probe	probe = { probe_total, probe_in_flight,
	    probe_paused, app->sched };

	app->progress = progress_new(app->base, app->sink, &probe, app->t0);
}

static int
exit_status(const struct app *app)
{
	const struct sink_counts	*c = sink_counts(app->sink);

	switch (sink_state(app->sink)) {
	case SINK_CLOSED:
		return EXIT_SIGPIPE;
	case SINK_FAILED:
		return EXIT_FAILED;
	case SINK_OK:
		break;
	}
	if (app->signal != 0)
		return 128 + app->signal;
	return conf_failures_allowed(&app->cfg, c->failed + c->cancelled,
	    c->results) ? EXIT_OK : EXIT_FAILED;
}

/*
 * The libraries allocate through xmalloc (dns.c hooks c-ares), so their
 * running out of memory lowers -j too, and what fails is one transfer,
 * not the run.  libevent's failures are fatal to us: it may use the
 * reserve.
 */
static void
hook_allocators(void)
{
	cJSON_Hooks	hooks = { xmalloc_lib, free };

	event_set_mem_functions(xmalloc_try, xrealloc_try, free);
	cJSON_InitHooks(&hooks);
	if (curl_global_init_mem(CURL_GLOBAL_DEFAULT, xmalloc_lib, free,
	    xrealloc_lib, xstrdup_lib, xcalloc_lib) != CURLE_OK)
		msg_fatal("curl_global_init failed");
}

static void
app_signals(struct app *app)
{
	struct sigaction	sa;

	if (pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
		msg_fatal("cannot create a pipe: %s", strerror(errno));
	app->sigev = event_new(app->base, signal_pipe[0], EV_READ | EV_PERSIST,
	    on_signal, app);
	if (app->sigev == NULL || event_add(app->sigev, NULL) != 0)
		msg_fatal("cannot watch signals");
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = signal_handler;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/*
 * Teardown order matters: the transfer threads stop before the tasks
 * they may hold are freed, the multi handles' cleanup still needs the
 * loops, and no task may outlive the scheduler.
 */
static void
app_free(struct app *app)
{
	xfer_halt(app->xfer);
	sched_free(app->sched);
	xfer_free(app->xfer);
	dns_free(app->dns);
	input_free(app->input);
	sink_free(app->sink);
	if (app->spool != NULL)
		spool_free(app->spool);
	save_free(app->saver);
	doneset_free(app->done);
	validators_free(app->validators);
	event_free(app->sigev);
	if (app->deadline != NULL)
		event_free(app->deadline);
	close(signal_pipe[0]);
	close(signal_pipe[1]);
	event_base_free(app->base);
	curl_global_cleanup();
	opts_free(&app->cfg);
}

/*
 * cofetch --skip-done out.jsonl >> out.jsonl, after a kill -9 cut the
 * file's last line: end that line first, or the first new result would
 * be glued to it and lost.
 */
static void
mend_cut_line(const struct app *app)
{
	struct stat	out, in;

	if (!doneset_cut(app->done) || fstat(STDOUT_FILENO, &out) != 0 ||
	    stat(app->cfg.skip_done, &in) != 0 || out.st_dev != in.st_dev ||
	    out.st_ino != in.st_ino)
		return;
	if (write(STDOUT_FILENO, "\n", 1) != 1)
		msg_warn("cannot end the cut line of %s: %s", app->cfg.skip_done,
		    strerror(errno));
}

/* A source or setting that cannot be used: nothing was fetched. */
static int
app_fail_early(struct app *app)
{
	if (app->input != NULL)
		input_free(app->input);
	if (app->dns != NULL)
		dns_free(app->dns);
	doneset_free(app->done);
	validators_free(app->validators);
	event_base_free(app->base);
	curl_global_cleanup();
	opts_free(&app->cfg);
	return EXIT_USAGE;
}

/* cofetch --merge FILE...: nothing is fetched. */
static int
app_merge(struct config *cfg)
{
	enum merge_status	status;

	signal(SIGPIPE, SIG_IGN);
	status = merge_files(cfg->urls, cfg->nurls);
	opts_free(cfg);
	switch (status) {
	case MERGE_OK:
		return EXIT_OK;
	case MERGE_CLOSED:
		return EXIT_SIGPIPE;
	case MERGE_USAGE:
		return EXIT_USAGE;
	case MERGE_BAD:
		break;
	}
	return EXIT_FAILED;
}

int
main(int argc, char **argv)
{
	struct app	app;
	int		status;

	memset(&app, 0, sizeof app);
	switch (opts_parse(&app.cfg, argc, argv)) {
	case OPTS_DONE:
		opts_free(&app.cfg);
		return EXIT_OK;
	case OPTS_USAGE:
		opts_free(&app.cfg);
		return EXIT_USAGE;
	case OPTS_RUN:
		break;
	}
	if (app.cfg.merge)
		return app_merge(&app.cfg);
	msg_set_verbose(app.cfg.verbose);
	if (app.cfg.shard_from != NULL)
		msg_debug("--shard auto: %s", app.cfg.shard_from);
	locale_for_urls();
	signal(SIGPIPE, SIG_IGN);
	/* A file past ulimit -f is one URL's error (EFBIG), not our death. */
	signal(SIGXFSZ, SIG_IGN);
	fit_jobs_to_fd_limit(&app.cfg);
	hook_allocators();
	app.t0 = clock_us();
	app.base = loop_new();
	if ((app.input = input_new(app.base, &app.cfg)) == NULL)
		return app_fail_early(&app);
	if ((app.dns = dns_new(app.base, &app.cfg)) == NULL)
		return app_fail_early(&app);
	if (app.cfg.skip_done != NULL &&
	    (app.done = doneset_load(app.cfg.skip_done,
	    app.cfg.proto_default)) == NULL)
		return app_fail_early(&app);
	if (app.cfg.revalidate != NULL && (app.validators = validators_load(
	    app.cfg.revalidate, app.cfg.proto_default)) == NULL)
		return app_fail_early(&app);
	if (app.cfg.output_dir != NULL &&
	    (app.saver = save_new(app.cfg.output_dir)) == NULL)
		return app_fail_early(&app);
	if (app.cfg.format == FMT_BODY)
		app.spool = spool_new(BODY_MEMORY);
	app.sink = sink_new(app.base, &app.cfg);
	app.xfer = xfer_new(app.base, &app.cfg);
	app.sched = sched_new(app.base, &app.cfg, app.input, app.sink,
	    app.dns, app.xfer);
	sched_keep_bodies(app.sched, app.spool, app.saver);
	sched_skip_done(app.sched, app.done);
	sched_revalidate(app.sched, app.validators);
	input_on_readable(app.input, sched_kick, app.sched);
	sink_on_close(app.sink, on_output_closed, &app);
	app_signals(&app);
	msg_debug("-j %u, -t %.3f s, --connect-timeout %.3f s%s", app.cfg.jobs,
	    app.cfg.timeout_ms / 1000.0, app.cfg.connect_timeout_ms / 1000.0,
	    app.cfg.keep_order ? ", -k" : "");

	if (app.cfg.progress == CONF_PROGRESS_ON ||
	    (app.cfg.progress == CONF_PROGRESS_AUTO && !app.cfg.quiet &&
	    isatty(STDERR_FILENO)))
		app_progress(&app);

	if (app.done != NULL)
		mend_cut_line(&app);
	app_deadline(&app);
	sched_start(app.sched);
	event_base_dispatch(app.base);
	progress_free(app.progress);

	status = exit_status(&app);
	msg_debug("dns: %lu lookups, %lu cache hits; libcurl resolved %lu "
	    "names itself", dns_stats(app.dns)->queries,
	    dns_stats(app.dns)->hits, xfer_curl_resolves(app.xfer));
	if (!app.cfg.quiet && status != EXIT_SIGPIPE)
		print_summary(&app);
	app_free(&app);
	return status;
}
