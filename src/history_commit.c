/*
 * history_commit: one commit's message into a struct hcommit (SPEC §3).
 *
 * The subject is the first non-blank line. Trailers are read with
 * git_message_trailers; keys compare case-insensitively, and the keys
 * paraphe knows (Signature, Avenant, Effet, Acte, Publication, Convention)
 * are stored under that spelling, so that templates and data.json find
 * them whatever the author typed; other keys keep the spelling of their
 * first occurrence. Values are trimmed; a key given twice keeps one entry,
 * its values joined with ", " (a known key given twice with different
 * values is an error). Every string is made valid UTF-8: a message is
 * bytes, and one that is not UTF-8 must never break the site.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "buf.h"
#include "diag.h"
#include "history_int.h"
#include "utf8.h"
#include "value.h"
#include "xalloc.h"

static const char *const known_keys[] = {
    "Signature", "Avenant", "Effet", "Acte", "Publication", "Convention",
};

/* Valid UTF-8 copy of (s, n): invalid bytes become U+FFFD, control
 * characters other than tab become spaces. latin1: the message declares
 * ISO-8859-1, so its bytes are converted instead of replaced. */
static char *sanitise(const char *s, size_t n, int latin1)
{
	struct buf b = BUF_INIT;
	size_t i = 0;

	buf_grow(&b, n);
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t k;

		if (c < 0x80) {
			buf_putc(&b, c < 0x20 && c != '\t' ? ' ' : c);
			i++;
			continue;
		}
		if (latin1) {
			buf_putc(&b, 0xC0 | (c >> 6));
			buf_putc(&b, 0x80 | (c & 0x3F));
			i++;
			continue;
		}
		k = utf8_decode(s + i, n - i, &cp);
		if (k == 1 && cp == 0xFFFD)
			buf_puts(&b, "\xEF\xBF\xBD"); /* an invalid byte */
		else
			buf_put(&b, s + i, k);
		i += k;
	}
	return buf_detach(&b);
}

static int is_latin1(const char *enc)
{
	return enc &&
	       (!strcasecmp(enc, "ISO-8859-1") ||
	        !strcasecmp(enc, "ISO8859-1") || !strcasecmp(enc, "latin1") ||
	        !strcasecmp(enc, "latin-1"));
}

/* A trimmed, sanitised copy of s. */
static char *clean(const char *s, int latin1)
{
	size_t n = strlen(s);

	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return sanitise(s, n, latin1);
}

/* The first non-blank line of msg, trimmed and sanitised. */
static char *subject(const char *msg, int latin1)
{
	const char *end;
	size_t n;

	while (*msg && isspace((unsigned char)*msg))
		msg++;
	end = strchr(msg, '\n');
	n = end ? (size_t)(end - msg) : strlen(msg);
	while (n && isspace((unsigned char)msg[n - 1]))
		n--;
	return sanitise(msg, n, latin1);
}

/* The spelling under which key is stored: a known key's, else the key of
 * an earlier trailer equal but for case, else key itself. */
static const char *spelling(const struct value *map, const char *key)
{
	for (size_t i = 0; i < sizeof(known_keys) / sizeof(*known_keys); i++)
		if (!strcasecmp(key, known_keys[i]))
			return known_keys[i];
	for (size_t i = 0; i < map->u.map.len; i++)
		if (!strcasecmp(key, map->u.map.keys[i]))
			return map->u.map.keys[i];
	return key;
}

static int is_known(const char *key)
{
	for (size_t i = 0; i < sizeof(known_keys) / sizeof(*known_keys); i++)
		if (!strcmp(key, known_keys[i]))
			return 1;
	return 0;
}

/* Adds one trailer (already clean) to hc. */
static void add_trailer(struct hcommit *hc, const char *key, const char *val)
{
	const char *k = spelling(hc->trailers, key);
	struct value *old = value_get(hc->trailers, k);

	if (!strcmp(k, "Convention")) {
		hc->conv_names =
		    xrealloc(hc->conv_names,
		             (hc->nconv_names + 1) * sizeof(*hc->conv_names));
		hc->conv_names[hc->nconv_names++] = xstrdup(val);
	}
	if (!old) {
		value_set_str(hc->trailers, k, val);
		return;
	}
	if (!strcmp(old->u.str.ptr, val))
		return;
	if (is_known(k) && strcmp(k, "Convention")) {
		if (!hc->dup_key)
			hc->dup_key = xstrdup(k);
		return;
	}
	{
		struct buf b = BUF_INIT;

		buf_printf(&b, "%s, %s", old->u.str.ptr, val);
		value_set(hc->trailers, k, value_string(b.data, b.len));
		buf_free(&b);
	}
}

void hc_read(struct hcommit *hc, git_commit *c)
{
	const char *msg = git_commit_message(c);
	git_message_trailer_array arr = {NULL, 0, NULL};
	time_t t = (time_t)git_commit_time(c);
	struct tm tm;
	char date[32];
	int latin1;

	memset(hc, 0, sizeof(*hc));
	git_oid_tostr(hc->id, sizeof(hc->id), git_commit_id(c));
	hc->time = (long long)git_commit_time(c);
	if (!gmtime_r(&t, &tm) ||
	    !strftime(date, sizeof(date), "%Y-%m-%d", &tm))
		strcpy(date, "0000-00-00");
	hc->date = xstrdup(date);
	if (!msg)
		msg = "";
	latin1 = is_latin1(git_commit_message_encoding(c)) &&
	         utf8_check(msg, strlen(msg)) < strlen(msg);
	hc->subject = subject(msg, latin1);
	hc->trailers = value_map();
	if (git_message_trailers(&arr, msg) != 0)
		return;
	for (size_t i = 0; i < arr.count; i++) {
		char *k = clean(arr.trailers[i].key, latin1);
		char *v = clean(arr.trailers[i].value, latin1);

		if (*k)
			add_trailer(hc, k, v);
		free(k);
		free(v);
	}
	git_message_trailer_array_free(&arr);
}

/* 1 when (s, n) is a real date written YYYY-MM-DD. */
static int valid_date(const char *s, size_t n)
{
	static const int days[] = {31, 28, 31, 30, 31, 30,
	                           31, 31, 30, 31, 30, 31};
	int y, m, d, max;

	if (n != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return 0;
	y = atoi(s);
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || d < 1)
		return 0;
	max = days[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		max = 29;
	return d <= max;
}

/* The positive integer s (at most 6 digits), or 0. */
static int avenant_number(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 6 || strspn(s, "0123456789") != n)
		return 0;
	return atoi(s);
}

/* Checks the date trailer key of hc; reports and returns -1 when bad. */
static int check_date(const struct hcommit *hc, const char *key)
{
	const char *v = value_get_str(hc->trailers, key);

	if (!v || valid_date(v, strlen(v)))
		return 0;
	diag_error(NULL, 0, 0,
	           "commit %.7s: '%s: %s' is not a real date written "
	           "YYYY-MM-DD",
	           hc->id, key, v);
	return -1;
}

/* Resolves the Convention names of a signed commit into hc->conv. */
static int resolve_conventions(struct walk *w, struct hcommit *hc)
{
	int ret = 0;

	hc->conv = xcalloc(hc->nconv_names, sizeof(*hc->conv));
	for (size_t i = 0; i < hc->nconv_names; i++) {
		long d = hmap_convention(w, hc->conv_names[i]);

		if (d >= 0) {
			hc->conv[hc->nconv++] = d;
			continue;
		}
		diag_error(NULL, 0, 0,
		           d == -1 ? "commit %.7s: 'Convention: %s' names no "
		                     "convention of the site"
		                   : "commit %.7s: 'Convention: %s' names "
		                     "several documents: give its path",
		           hc->id, hc->conv_names[i]);
		ret = -1;
	}
	return ret;
}

int hc_check(struct walk *w, struct hcommit *hc)
{
	const char *sig = value_get_str(hc->trailers, "Signature");
	const char *av = value_get_str(hc->trailers, "Avenant");
	int ret = 0;

	if (hc->dup_key) {
		diag_error(NULL, 0, 0,
		           "commit %.7s: trailer '%s' is given twice with "
		           "different values",
		           hc->id, hc->dup_key);
		ret = -1;
	}
	if (check_date(hc, "Signature") < 0)
		ret = -1;
	if (check_date(hc, "Effet") < 0)
		ret = -1;
	if (check_date(hc, "Publication") < 0)
		ret = -1;
	if (av && !(hc->avenant = avenant_number(av))) {
		diag_error(NULL, 0, 0,
		           "commit %.7s: 'Avenant: %s' must be a positive "
		           "integer",
		           hc->id, av);
		ret = -1;
	}
	if (av && !sig)
		diag_warning(NULL, 0, 0,
		             "commit %.7s has 'Avenant: %s' but no 'Signature' "
		             "trailer: it is not a signed version",
		             hc->id, av);
	if (sig && resolve_conventions(w, hc) < 0)
		ret = -1;
	if (ret < 0)
		hc->bad = 1;
	else if (sig)
		hc->signature = xstrdup(sig);
	return ret;
}

void hc_clear(struct hcommit *hc)
{
	free(hc->subject);
	free(hc->date);
	value_free(hc->trailers);
	free(hc->signature);
	free(hc->dup_key);
	for (size_t i = 0; i < hc->nconv_names; i++)
		free(hc->conv_names[i]);
	free(hc->conv_names);
	free(hc->conv);
	memset(hc, 0, sizeof(*hc));
}
