/*
 * dnsfake.c - a small UDP DNS tool for the end-to-end tests: a delaying
 * relay in front of a real server, and a server that misbehaves on purpose.
 *
 *   dnsfake [--port P] [--port-file F] [--count-file F] [-v] MODE...
 *
 * It listens on 127.0.0.1:P (P = 0: a free port; the port is written to
 * --port-file and to stdout), counts the queries it receives (the count is
 * rewritten to --count-file after each one) and answers by MODE:
 *   --relay Q [--delay-ms N]  forward each query to 127.0.0.1:Q after N ms
 *                             and relay the answer back unchanged;
 *   --mode drop               never answer;
 *   --mode garbage            answer with the query's ID and then junk;
 *   --mode noise              answer with random-looking bytes only;
 *   --mode truncated          answer the question with TC set and no RRs
 *                             (there is no TCP listener to retry on);
 *   --mode cut                a well-formed A answer cut off mid-RR;
 *   --mode wrongid            a well-formed A answer with the wrong ID;
 *   --mode servfail / refused answer with that rcode;
 *   --mode rdata --rdata TYPE=HEX ...
 *                             answer a query of TYPE with one RR whose
 *                             RDATA is HEX exactly as given (RDLENGTH is
 *                             its length: "1=0102030405" is an A record of
 *                             5 octets); other types get NODATA.  Several
 *                             --rdata for one type give several RRs.
 * Answers of the crafted modes carry AA and RA, name the owner by a
 * pointer to the question, TTL 0.  Queries that do not parse are ignored.
 *
 * A test tool: it trusts its command line, bounds everything it reads from
 * the network, and is not installed.  SIGTERM/SIGINT end it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_INFLIGHT 256
#define MAX_RDATA_SPECS 32
#define DNS_MAX 4096
#define RELAY_GIVE_UP_MS 10000

enum mode {
	MODE_RELAY, MODE_DROP, MODE_GARBAGE, MODE_NOISE, MODE_TRUNCATED,
	MODE_CUT, MODE_WRONGID, MODE_SERVFAIL, MODE_REFUSED, MODE_RDATA,
};

static const struct {
	const char *name;
	enum mode mode;
} mode_names[] = {
	{ "drop", MODE_DROP }, { "garbage", MODE_GARBAGE },
	{ "noise", MODE_NOISE }, { "truncated", MODE_TRUNCATED },
	{ "cut", MODE_CUT }, { "wrongid", MODE_WRONGID },
	{ "servfail", MODE_SERVFAIL }, { "refused", MODE_REFUSED },
	{ "rdata", MODE_RDATA },
};

struct rdata_spec {
	uint16_t type;
	uint8_t data[1024];
	size_t len;
};

struct inflight {
	bool used, sent;
	uint64_t due_ms;
	int fd; /* socket to the upstream server */
	struct sockaddr_in client;
	uint8_t pkt[DNS_MAX];
	size_t len;
};

static volatile sig_atomic_t stop;
static bool verbose;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void usage(void)
{
	fprintf(stderr, "usage: dnsfake [--port P] [--port-file F] "
		"[--count-file F] [-v] (--relay PORT [--delay-ms N] | "
		"--mode drop|garbage|noise|truncated|cut|wrongid|servfail|"
		"refused|rdata [--rdata TYPE=HEX]...)\n");
	exit(2);
}

static unsigned long number_arg(const char *text, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || v > max) {
		fprintf(stderr, "dnsfake: bad number %s\n", text);
		exit(2);
	}
	return v;
}

static int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void parse_rdata_spec(const char *text, struct rdata_spec *spec)
{
	const char *eq = strchr(text, '=');
	char type[8];
	size_t i, n;

	if (eq == NULL || eq == text || (size_t)(eq - text) >= sizeof(type))
		usage();
	memcpy(type, text, (size_t)(eq - text));
	type[eq - text] = '\0';
	spec->type = (uint16_t)number_arg(type, 65535);
	n = strlen(eq + 1);
	if (n % 2 != 0 || n / 2 > sizeof(spec->data)) {
		fprintf(stderr, "dnsfake: bad hex in %s\n", text);
		exit(2);
	}
	for (i = 0; i < n / 2; i++) {
		int hi = hex_value((unsigned char)eq[1 + 2 * i]);
		int lo = hex_value((unsigned char)eq[2 + 2 * i]);
		if (hi < 0 || lo < 0) {
			fprintf(stderr, "dnsfake: bad hex in %s\n", text);
			exit(2);
		}
		spec->data[i] = (uint8_t)(hi << 4 | lo);
	}
	spec->len = n / 2;
}

static void write_file(const char *path, unsigned long value)
{
	char tmp[4096];
	FILE *fp;

	if (path == NULL)
		return;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fp = fopen(tmp, "w");
	if (fp == NULL) {
		fprintf(stderr, "dnsfake: %s: %s\n", tmp, strerror(errno));
		return;
	}
	fprintf(fp, "%lu\n", value);
	fclose(fp);
	if (rename(tmp, path) != 0)
		fprintf(stderr, "dnsfake: %s: %s\n", path, strerror(errno));
}

/* Offset just past the question of a query, or 0 if it does not parse. */
static size_t question_end(const uint8_t *pkt, size_t len, uint16_t *qtype)
{
	size_t off = 12;

	if (len < 12 || (pkt[2] & 0x80) != 0 || pkt[4] != 0 || pkt[5] != 1)
		return 0;
	for (;;) {
		size_t label;
		if (len - off < 1)
			return 0;
		label = pkt[off++];
		if (label == 0)
			break;
		if (label > 63 || len - off < label)
			return 0;
		off += label;
	}
	if (len - off < 4)
		return 0;
	*qtype = (uint16_t)(pkt[off] << 8 | pkt[off + 1]);
	return off + 4;
}

struct writer {
	uint8_t buf[DNS_MAX];
	size_t len;
};

static void put(struct writer *w, const void *data, size_t n)
{
	if (sizeof(w->buf) - w->len < n)
		return; /* the specs are bounded well below this */
	memcpy(w->buf + w->len, data, n);
	w->len += n;
}

static void put16(struct writer *w, unsigned v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	put(w, b, 2);
}

static void put_rr(struct writer *w, uint16_t type, const uint8_t *rdata,
	size_t rdlen)
{
	put16(w, 0xc00c); /* owner: the question name */
	put16(w, type);
	put16(w, 1);      /* IN */
	put16(w, 0);      /* TTL 0: nothing lingers in a cache */
	put16(w, 0);
	put16(w, (unsigned)rdlen);
	put(w, rdata, rdlen);
}

/* Build the answer for a crafted mode into w; false: send nothing. */
static bool craft_answer(enum mode mode, const uint8_t *q, size_t qend,
	uint16_t qtype, const struct rdata_spec *specs, size_t nspecs,
	struct writer *w)
{
	static const uint8_t addr[4] = { 192, 0, 2, 1 };
	unsigned flags = 0x8400 | 0x0080 | (q[2] & 0x01) << 8; /* QR AA RA RD */
	unsigned id = (unsigned)(q[0] << 8 | q[1]);
	unsigned ancount = 0;
	size_t i;

	w->len = 0;
	switch (mode) {
	case MODE_DROP:
	case MODE_RELAY:
		return false;
	case MODE_NOISE:
		for (i = 0; i < 48; i++) {
			uint8_t b = (uint8_t)(rand() & 0xff);
			put(w, &b, 1);
		}
		return true;
	case MODE_GARBAGE:
		put16(w, id);
		for (i = 0; i < 40; i++) {
			uint8_t b = (uint8_t)((i * 37 + 11) & 0xff);
			put(w, &b, 1);
		}
		w->buf[2] |= 0x80;
		return true;
	case MODE_TRUNCATED:
		flags |= 0x0200;
		break;
	case MODE_SERVFAIL:
		flags |= 2;
		break;
	case MODE_REFUSED:
		flags |= 5;
		break;
	case MODE_CUT:
	case MODE_WRONGID:
		ancount = qtype == 1 ? 1 : 0;
		break;
	case MODE_RDATA:
		for (i = 0; i < nspecs; i++)
			if (specs[i].type == qtype)
				ancount++;
		break;
	}
	put16(w, mode == MODE_WRONGID ? id ^ 0x5a5a : id);
	put16(w, flags);
	put16(w, 1);
	put16(w, ancount);
	put16(w, 0);
	put16(w, 0);
	put(w, q + 12, qend - 12);
	if (mode == MODE_CUT || mode == MODE_WRONGID) {
		if (ancount > 0)
			put_rr(w, 1, addr, sizeof(addr));
		if (mode == MODE_CUT)
			w->len -= ancount > 0 ? 6 : 2;
	} else if (mode == MODE_RDATA) {
		for (i = 0; i < nspecs; i++)
			if (specs[i].type == qtype)
				put_rr(w, qtype, specs[i].data, specs[i].len);
	}
	return true;
}

static int udp_socket(uint16_t port, bool bind_it)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0) {
		perror("dnsfake: socket");
		exit(1);
	}
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind_it) {
		if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
			fprintf(stderr, "dnsfake: bind 127.0.0.1:%u: %s\n",
				port, strerror(errno));
			exit(1);
		}
	} else if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		perror("dnsfake: connect");
		exit(1);
	}
	return fd;
}

int main(int argc, char **argv)
{
	static struct inflight slots[MAX_INFLIGHT];
	static struct rdata_spec specs[MAX_RDATA_SPECS];
	size_t nspecs = 0;
	const char *port_file = NULL, *count_file = NULL;
	unsigned long port = 0, upstream = 0, delay_ms = 0, count = 0;
	enum mode mode = MODE_DROP;
	bool mode_set = false;
	struct sockaddr_in sa;
	socklen_t salen = sizeof(sa);
	int fd, i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "-v") == 0) {
			verbose = true;
			continue;
		}
		if (v == NULL)
			usage();
		i++;
		if (strcmp(a, "--port") == 0) {
			port = number_arg(v, 65535);
		} else if (strcmp(a, "--port-file") == 0) {
			port_file = v;
		} else if (strcmp(a, "--count-file") == 0) {
			count_file = v;
		} else if (strcmp(a, "--relay") == 0) {
			upstream = number_arg(v, 65535);
			mode = MODE_RELAY;
			mode_set = true;
		} else if (strcmp(a, "--delay-ms") == 0) {
			delay_ms = number_arg(v, 600000);
		} else if (strcmp(a, "--mode") == 0) {
			size_t k;
			for (k = 0; k < sizeof(mode_names) /
				    sizeof(mode_names[0]); k++)
				if (strcmp(v, mode_names[k].name) == 0)
					break;
			if (k == sizeof(mode_names) / sizeof(mode_names[0]))
				usage();
			mode = mode_names[k].mode;
			mode_set = true;
		} else if (strcmp(a, "--rdata") == 0) {
			if (nspecs == MAX_RDATA_SPECS)
				usage();
			parse_rdata_spec(v, &specs[nspecs++]);
		} else {
			usage();
		}
	}
	if (!mode_set || (mode == MODE_RELAY && upstream == 0))
		usage();

	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	srand(4242);
	fd = udp_socket((uint16_t)port, true);
	if (getsockname(fd, (struct sockaddr *)&sa, &salen) != 0) {
		perror("dnsfake: getsockname");
		return 1;
	}
	port = ntohs(sa.sin_port);
	write_file(count_file, 0);
	write_file(port_file, port);
	printf("%lu\n", port);
	fflush(stdout);

	while (!stop) {
		struct pollfd pfds[1 + MAX_INFLIGHT];
		int map[1 + MAX_INFLIGHT];
		int n = 0, wait = 1000, k;
		uint64_t now = now_ms();

		pfds[n].fd = fd;
		pfds[n].events = POLLIN;
		map[n++] = -1;
		for (k = 0; k < MAX_INFLIGHT; k++) {
			struct inflight *s = &slots[k];
			if (!s->used)
				continue;
			if (!s->sent) {
				if (s->due_ms <= now) {
					if (send(s->fd, s->pkt, s->len, 0) < 0 &&
					    verbose)
						perror("dnsfake: relay send");
					s->sent = true;
					s->due_ms = now + RELAY_GIVE_UP_MS;
				} else if ((int)(s->due_ms - now) < wait) {
					wait = (int)(s->due_ms - now);
				}
			} else if (s->due_ms <= now) {
				close(s->fd);
				s->used = false;
				continue;
			}
			if (s->sent) {
				pfds[n].fd = s->fd;
				pfds[n].events = POLLIN;
				map[n++] = k;
			}
		}
		if (poll(pfds, (nfds_t)n, wait) < 0) {
			if (errno == EINTR)
				continue;
			perror("dnsfake: poll");
			return 1;
		}
		for (k = 1; k < n; k++) {
			struct inflight *s = &slots[map[k]];
			uint8_t buf[DNS_MAX];
			ssize_t got;
			if (!(pfds[k].revents & (POLLIN | POLLERR)))
				continue;
			got = recv(s->fd, buf, sizeof(buf), 0);
			if (got > 0)
				sendto(fd, buf, (size_t)got, 0,
					(struct sockaddr *)&s->client,
					sizeof(s->client));
			close(s->fd);
			s->used = false;
		}
		if (pfds[0].revents & POLLIN) {
			uint8_t pkt[DNS_MAX];
			struct sockaddr_in client;
			socklen_t clen = sizeof(client);
			ssize_t got = recvfrom(fd, pkt, sizeof(pkt), 0,
				(struct sockaddr *)&client, &clen);
			uint16_t qtype = 0;
			size_t qend;
			struct writer w;

			if (got <= 0)
				continue;
			qend = question_end(pkt, (size_t)got, &qtype);
			if (qend == 0)
				continue;
			count++;
			write_file(count_file, count);
			if (verbose)
				fprintf(stderr, "dnsfake: query %lu type %u\n",
					count, qtype);
			if (mode == MODE_RELAY) {
				for (k = 0; k < MAX_INFLIGHT; k++)
					if (!slots[k].used)
						break;
				if (k == MAX_INFLIGHT)
					continue; /* full: drop it */
				slots[k].used = true;
				slots[k].sent = false;
				slots[k].due_ms = now_ms() + delay_ms;
				slots[k].fd = udp_socket((uint16_t)upstream,
					false);
				slots[k].client = client;
				memcpy(slots[k].pkt, pkt, (size_t)got);
				slots[k].len = (size_t)got;
				continue;
			}
			if (craft_answer(mode, pkt, qend, qtype, specs, nspecs,
				    &w))
				sendto(fd, w.buf, w.len, 0,
					(struct sockaddr *)&client, clen);
		}
	}
	return 0;
}
