// SPDX-License-Identifier: GPL-2.0 OR Apache-2.0
/*
 * lsdp-agent: makes an lsdp hypervisor a chassis of an OVN deployment.
 *
 * It registers the chassis in OVN's southbound database (Chassis, its
 * Geneve Encap and Chassis_Private), claims the Port_Bindings of the local
 * netdevs whose ifalias names a logical port (iface-id=NAME), and keeps the
 * kernel's lsdp tables equal to what the southbound database describes:
 * datapaths, ports, other chassis.  ovn-controller's job, for a datapath
 * that needs no logical flows.
 *
 * The OVSDB side is OVS's own library, as in ovn-controller: the IDL
 * (monitor_cond_since, reconnection across a raft cluster's remotes,
 * transactions), daemon (--detach, --pidfile), vlog (--log-file, -v) and
 * unixctl (ovs-appctl -t SOCKET status).  This file and sb-side logic use
 * OVS's headers; kernel.c and link.c use liblsdp and libnl.
 *
 * The lsdp-agent binary links OVS's library (Apache-2.0) and OpenSSL
 * (Apache-2.0): it is distributed under the Apache-2.0 terms of the dual
 * licence of its own sources.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/resource.h>
#include <poll.h>

#include "command-line.h"
#include "daemon.h"
#include "fatal-signal.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "packets.h"
#include "smap.h"
#include "sset.h"
#include "stream-ssl.h"
#include "stream.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"

#include "ovn-sb-idl.h"
#include "ovn-nb-idl.h"
#include "agent.h"

VLOG_DEFINE_THIS_MODULE(lsdp_agent);

#ifndef LSDP_VERSION
#define LSDP_VERSION "0.1.0"
#endif

/* ---- configuration ---- */

struct config {
	char *system_id;
	char *remote;		/* ovn-remote, comma separated */
	char *nb_remote;	/* ovn-nb-remote (ACLs), NULL: none */
	char *encap_type;
	char *encap_ip;
	char *bridge_mappings;
	char *netns;
	char *unixctl;
	char *log_level;
	bool keep_chassis;
	struct smap mappings;	/* physnet -> ifname */
};

static struct config cfg;
static volatile sig_atomic_t exiting;
static bool exit_keep;		/* keep the chassis on this exit */
static int sig_pipe[2] = { -1, -1 };

void agent_log(enum agent_log_level level, const char *fmt, ...)
{
	static const enum vlog_level map[] = {
		[AGENT_ERR] = VLL_ERR, [AGENT_WARN] = VLL_WARN,
		[AGENT_INFO] = VLL_INFO, [AGENT_DBG] = VLL_DBG,
	};
	va_list ap;

	va_start(ap, fmt);
	vlog_valist(&this_module, map[level], fmt, ap);
	va_end(ap);
}

static void usage(void)
{
	printf("%s: an lsdp hypervisor as a chassis of OVN\n"
	       "usage: %s [OPTIONS]\n"
	       "\nConfiguration (also as KEY=VALUE lines of --config FILE):\n"
	       "  --system-id=NAME          chassis name\n"
	       "  --ovn-remote=REMOTE[,...] southbound DB: unix:PATH, tcp:IP:PORT,"
	       " ssl:IP:PORT\n"
	       "  --ovn-nb-remote=REMOTE[,...]  northbound DB, for ACLs, port"
	       " groups,\n"
	       "                            address sets and NAT rules"
	       " (optional)\n"
	       "  --ovn-encap-type=geneve   tunnel type (only geneve)\n"
	       "  --ovn-encap-ip=IP         this chassis's tunnel endpoint\n"
	       "  --ovn-bridge-mappings=PHYSNET:IFNAME[,...]  localnet ports\n"
	       "  --netns=NAME              lsdp's network namespace\n"
	       "  --keep-chassis            leave the chassis in SB on exit\n"
	       "  --unixctl=SOCKET          control socket (ovs-appctl -t)\n"
	       "  --log-level=LEVEL         emer, err, warn, info or dbg\n"
	       "  --config=FILE             read the configuration from FILE\n",
	       program_name, program_name);
	daemon_usage();
	vlog_usage();
	stream_usage("--ovn-remote", true, false, true);
	printf("\nOther options:\n"
	       "  -h, --help                display this help message\n"
	       "  -V, --version             display version information\n");
	exit(EXIT_SUCCESS);
}

static void set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup(v);
}

static bool parse_bool(const char *key, const char *v)
{
	if (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "1"))
		return true;
	if (!strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "0"))
		return false;
	ovs_fatal(0, "%s: \"%s\" is not true or false", key, v);
}

/* Reads KEY=VALUE lines; what the command line set already wins. */
static void config_file(const char *path, const struct sset *cmdline)
{
	char line[4096];
	int lineno = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		ovs_fatal(errno, "%s: cannot open", path);
	while (fgets(line, sizeof(line), f)) {
		char *s = line, *eq, *k, *v, *e;

		lineno++;
		s[strcspn(s, "\r\n")] = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || *s == '#')
			continue;
		eq = strchr(s, '=');
		if (!eq)
			ovs_fatal(0, "%s:%d: expected KEY=VALUE", path, lineno);
		*eq = '\0';
		k = s;
		v = eq + 1;
		for (e = eq - 1; e >= k && (*e == ' ' || *e == '\t'); e--)
			*e = '\0';
		while (*v == ' ' || *v == '\t')
			v++;
		for (e = v + strlen(v) - 1; e >= v && (*e == ' ' || *e == '\t'); e--)
			*e = '\0';
		if (sset_contains(cmdline, k))
			continue;
		if (!strcmp(k, "system-id"))
			set_str(&cfg.system_id, v);
		else if (!strcmp(k, "ovn-remote"))
			set_str(&cfg.remote, v);
		else if (!strcmp(k, "ovn-nb-remote"))
			set_str(&cfg.nb_remote, v);
		else if (!strcmp(k, "ovn-encap-type"))
			set_str(&cfg.encap_type, v);
		else if (!strcmp(k, "ovn-encap-ip"))
			set_str(&cfg.encap_ip, v);
		else if (!strcmp(k, "ovn-bridge-mappings"))
			set_str(&cfg.bridge_mappings, v);
		else if (!strcmp(k, "netns"))
			set_str(&cfg.netns, v);
		else if (!strcmp(k, "unixctl"))
			set_str(&cfg.unixctl, v);
		else if (!strcmp(k, "log-level"))
			set_str(&cfg.log_level, v);
		else if (!strcmp(k, "keep-chassis"))
			cfg.keep_chassis = parse_bool(k, v);
		else if (!strcmp(k, "pidfile"))
			set_pidfile(v);
		else if (!strcmp(k, "log-file"))
			vlog_set_log_file(v);
		else if (!strcmp(k, "private-key"))
			stream_ssl_set_private_key_file(v);
		else if (!strcmp(k, "certificate"))
			stream_ssl_set_certificate_file(v);
		else if (!strcmp(k, "ca-cert"))
			stream_ssl_set_ca_cert_file(v, false);
		else
			ovs_fatal(0, "%s:%d: unknown key \"%s\"", path, lineno, k);
	}
	fclose(f);
}

static bool valid_ifname(const char *s)
{
	size_t n = strlen(s), i;

	if (!n || n >= IF_NAMESIZE)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] == '/' || s[i] == ':' || (unsigned char)s[i] <= ' ')
			return false;
	return true;
}

/* Refuses remotes (@what: the option) that are not unix:/tcp:/ssl:. */
static void check_remotes(const char *what, const char *remotes)
{
	char *copy, *tok, *save = NULL;

	copy = xstrdup(remotes);
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		const char *rest;

		if (!strncmp(tok, "unix:", 5))
			rest = tok + 5;
		else if (!strncmp(tok, "tcp:", 4))
			rest = tok + 4;
		else if (!strncmp(tok, "ssl:", 4))
			rest = tok + 4;
		else
			ovs_fatal(0, "%s: \"%s\" is not unix:PATH, "
				  "tcp:IP:PORT or ssl:IP:PORT", what, tok);
		if (!*rest || stream_verify_name(tok))
			ovs_fatal(0, "%s: \"%s\" is not a valid remote", what, tok);
		if (rest != tok + 5) {
			/* tcp:/ssl:HOST:PORT (HOST may be [IPv6]); nothing resolved here. */
			const char *colon = strrchr(rest, ':');
			char *end;
			long port = colon ? strtol(colon + 1, &end, 10) : 0;

			if (!colon || colon == rest || !colon[1] || *end ||
			    port < 1 || port > 65535)
				ovs_fatal(0, "%s: \"%s\" is not %.3s:HOST:PORT",
					  what, tok, tok);
		}
		if (!strncmp(tok, "ssl:", 4) &&
		    !(stream_ssl_is_configured()))
			ovs_fatal(0, "%s: \"%s\" needs --private-key, "
				  "--certificate and --ca-cert", what, tok);
	}
	free(copy);
}

/* Refuses a bad configuration with one line and exit status 1. */
static void config_check(void)
{
	char name[AGENT_NAME_SIZE];
	struct in6_addr a6;
	struct in_addr a4;
	char *copy, *tok, *save = NULL;

	if (!cfg.system_id)
		ovs_fatal(0, "system-id is required");
	if (!agent_name_copy(name, cfg.system_id))
		ovs_fatal(0, "system-id: \"%s\" is not 1 to 63 printable "
			  "characters without blanks", cfg.system_id);
	if (!cfg.remote || !cfg.remote[0])
		ovs_fatal(0, "ovn-remote is required");
	check_remotes("ovn-remote", cfg.remote);
	if (cfg.nb_remote)
		check_remotes("ovn-nb-remote", cfg.nb_remote);
	if (!cfg.encap_type)
		cfg.encap_type = xstrdup("geneve");
	if (strcmp(cfg.encap_type, "geneve"))
		ovs_fatal(0, "ovn-encap-type: \"%s\" is not supported (geneve only)",
			  cfg.encap_type);
	if (!cfg.encap_ip)
		ovs_fatal(0, "ovn-encap-ip is required");
	if (inet_pton(AF_INET, cfg.encap_ip, &a4) != 1 &&
	    inet_pton(AF_INET6, cfg.encap_ip, &a6) != 1)
		ovs_fatal(0, "ovn-encap-ip: \"%s\" is not an IP address",
			  cfg.encap_ip);
	smap_init(&cfg.mappings);
	if (cfg.bridge_mappings && cfg.bridge_mappings[0]) {
		copy = xstrdup(cfg.bridge_mappings);
		save = NULL;
		for (tok = strtok_r(copy, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save)) {
			char *colon = strchr(tok, ':');

			if (!colon || colon == tok || !valid_ifname(colon + 1))
				ovs_fatal(0, "ovn-bridge-mappings: \"%s\" is not "
					  "PHYSNET:IFNAME", tok);
			*colon = '\0';
			if (smap_get(&cfg.mappings, tok))
				ovs_fatal(0, "ovn-bridge-mappings: physnet \"%s\" "
					  "mapped twice", tok);
			smap_add(&cfg.mappings, tok, colon + 1);
		}
		free(copy);
	}
	if (cfg.log_level) {
		enum vlog_level l = vlog_get_level_val(cfg.log_level);

		if (l == VLL_N_LEVELS)
			ovs_fatal(0, "log-level: \"%s\" is not one of emer, err, "
				  "warn, info, dbg", cfg.log_level);
		vlog_set_levels(NULL, VLF_ANY_DESTINATION, l);
	}
}

enum {
	OPT_SYSTEM_ID = UCHAR_MAX + 1,
	OPT_REMOTE,
	OPT_NB_REMOTE,
	OPT_ENCAP_TYPE,
	OPT_ENCAP_IP,
	OPT_BRIDGE_MAPPINGS,
	OPT_NETNS,
	OPT_KEEP_CHASSIS,
	OPT_UNIXCTL,
	OPT_LOG_LEVEL,
	OPT_CONFIG,
	DAEMON_OPTION_ENUMS,
	VLOG_OPTION_ENUMS,
	SSL_OPTION_ENUMS,
};

static void parse_options(int argc, char *argv[])
{
	static const struct option long_options[] = {
		{ "system-id", required_argument, NULL, OPT_SYSTEM_ID },
		{ "ovn-remote", required_argument, NULL, OPT_REMOTE },
		{ "ovn-nb-remote", required_argument, NULL, OPT_NB_REMOTE },
		{ "ovn-encap-type", required_argument, NULL, OPT_ENCAP_TYPE },
		{ "ovn-encap-ip", required_argument, NULL, OPT_ENCAP_IP },
		{ "ovn-bridge-mappings", required_argument, NULL,
		  OPT_BRIDGE_MAPPINGS },
		{ "netns", required_argument, NULL, OPT_NETNS },
		{ "keep-chassis", no_argument, NULL, OPT_KEEP_CHASSIS },
		{ "unixctl", required_argument, NULL, OPT_UNIXCTL },
		{ "log-level", required_argument, NULL, OPT_LOG_LEVEL },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		DAEMON_LONG_OPTIONS,
		VLOG_LONG_OPTIONS,
		STREAM_SSL_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	char *short_options = ovs_cmdl_long_options_to_short_options(long_options);
	struct sset cmdline = SSET_INITIALIZER(&cmdline);
	const char *config = NULL;
	int i;

	/* What the command line sets, a config file does not change. */
	for (i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "--pidfile", 9))
			sset_add(&cmdline, "pidfile");
		else if (!strncmp(argv[i], "--log-file", 10))
			sset_add(&cmdline, "log-file");
		else if (!strncmp(argv[i], "--private-key", 13) ||
			 !strncmp(argv[i], "-p", 2))
			sset_add(&cmdline, "private-key");
		else if (!strncmp(argv[i], "--certificate", 13) ||
			 !strncmp(argv[i], "-c", 2))
			sset_add(&cmdline, "certificate");
		else if (!strncmp(argv[i], "--ca-cert", 9) ||
			 !strncmp(argv[i], "-C", 2))
			sset_add(&cmdline, "ca-cert");
	}

	for (;;) {
		int c = getopt_long(argc, argv, short_options, long_options, NULL);

		if (c == -1)
			break;
		switch (c) {
		case OPT_SYSTEM_ID:
			set_str(&cfg.system_id, optarg);
			sset_add(&cmdline, "system-id");
			break;
		case OPT_REMOTE:
			set_str(&cfg.remote, optarg);
			sset_add(&cmdline, "ovn-remote");
			break;
		case OPT_NB_REMOTE:
			set_str(&cfg.nb_remote, optarg);
			sset_add(&cmdline, "ovn-nb-remote");
			break;
		case OPT_ENCAP_TYPE:
			set_str(&cfg.encap_type, optarg);
			sset_add(&cmdline, "ovn-encap-type");
			break;
		case OPT_ENCAP_IP:
			set_str(&cfg.encap_ip, optarg);
			sset_add(&cmdline, "ovn-encap-ip");
			break;
		case OPT_BRIDGE_MAPPINGS:
			set_str(&cfg.bridge_mappings, optarg);
			sset_add(&cmdline, "ovn-bridge-mappings");
			break;
		case OPT_NETNS:
			set_str(&cfg.netns, optarg);
			sset_add(&cmdline, "netns");
			break;
		case OPT_KEEP_CHASSIS:
			cfg.keep_chassis = true;
			sset_add(&cmdline, "keep-chassis");
			break;
		case OPT_UNIXCTL:
			set_str(&cfg.unixctl, optarg);
			sset_add(&cmdline, "unixctl");
			break;
		case OPT_LOG_LEVEL:
			set_str(&cfg.log_level, optarg);
			sset_add(&cmdline, "log-level");
			break;
		case OPT_CONFIG:
			config = optarg;
			break;
		case 'h':
			usage();
			break;
		case 'V':
			printf("lsdp-agent %s (OVS library %s, OVN SB schema %s)\n",
			       LSDP_VERSION, VERSION, sbrec_get_db_version());
			exit(EXIT_SUCCESS);
		DAEMON_OPTION_HANDLERS
		VLOG_OPTION_HANDLERS
		STREAM_SSL_OPTION_HANDLERS
		case '?':
			exit(EXIT_FAILURE);
		default:
			abort();
		}
	}
	free(short_options);
	if (optind < argc)
		ovs_fatal(0, "unexpected argument \"%s\"", argv[optind]);
	if (config)
		config_file(config, &cmdline);
	sset_destroy(&cmdline);
	config_check();
}

/* ---- the network namespace ---- */

static struct kernel *kern;
static struct links *links;

/* Opens the netlink sockets in lsdp's namespace, then comes back. */
static void open_netlink(void)
{
	char err[256];
	int self = -1, target;

	if (cfg.netns) {
		char path[PATH_MAX];

		if (strchr(cfg.netns, '/'))
			snprintf(path, sizeof(path), "%s", cfg.netns);
		else
			snprintf(path, sizeof(path), "/run/netns/%s", cfg.netns);
		target = open(path, O_RDONLY | O_CLOEXEC);
		if (target < 0)
			ovs_fatal(errno, "netns: cannot open \"%s\"", path);
		self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		if (self < 0)
			ovs_fatal(errno, "cannot open /proc/self/ns/net");
		if (setns(target, CLONE_NEWNET) < 0)
			ovs_fatal(errno, "netns: cannot enter \"%s\"", cfg.netns);
		close(target);
	}
	kern = kernel_open(err, sizeof(err));
	if (!kern)
		ovs_fatal(0, "lsdp: %s", err);
	links = links_open(err, sizeof(err));
	if (!links)
		ovs_fatal(0, "%s", err);
	/* The southbound connection stays in the agent's own namespace. */
	if (self >= 0) {
		if (setns(self, CLONE_NEWNET) < 0)
			ovs_fatal(errno, "cannot return to the agent's namespace");
		close(self);
	}
}

/* ---- state shown by "status" ---- */

static struct {
	int64_t nb_cfg;			/* last echoed */
	bool nb_cfg_set;
	size_t n_dps, n_ports, n_claimed;
	size_t n_exported;		/* MAC_Binding rows written */
	int kernel_errors;
	int acl_errors;			/* kernel refusals, ACL objects */
	size_t n_acls;			/* ACLs the kernel holds for NB's */
	struct smap ls_dps;		/* NB Logical_Switch UUID -> lsdp switch */
	struct smap lr_dps;		/* NB Logical_Router UUID -> lsdp router */
	size_t n_nats;			/* NAT rules the kernel holds for NB's */
	int nat_errors;			/* kernel refusals, NAT rules */
	struct sset nat_unsupported;	/* "NAT UUID: what was done" */
	struct sset acl_unsupported;	/* "ACL UUID: what was done" */
	struct sset unsupported;	/* "PORT (type)" */
	struct sset logged;		/* what was logged once */
} st;

static void log_once(const char *key, const char *fmt, ...)
	OVS_PRINTF_FORMAT(2, 3);
static void log_once(const char *key, const char *fmt, ...)
{
	va_list ap;

	if (sset_contains(&st.logged, key))
		return;
	sset_add(&st.logged, key);
	va_start(ap, fmt);
	vlog_valist(&this_module, VLL_WARN, fmt, ap);
	va_end(ap);
}

/* @key (freed) into @set, for status, and logged once (with @suffix). */
static void note_unsupported(struct sset *set, char *key, const char *suffix)
{
	sset_add(set, key);
	if (!sset_contains(&st.logged, key)) {
		sset_add(&st.logged, key);
		VLOG_WARN("%s%s", key, suffix);
	}
	free(key);
}

void agent_acl_unsupported(const char *id, const char *why)
{
	note_unsupported(&st.acl_unsupported, xasprintf("acl %s: %s", id, why),
			 "");
}

void agent_nat_unsupported(const char *id, const char *why)
{
	note_unsupported(&st.nat_unsupported, xasprintf("nat %s: %s", id, why),
			 "");
}

static void unsupported(const char *what, const char *type)
{
	note_unsupported(&st.unsupported, xasprintf("%s (%s)", what, type),
			 ": not supported by lsdp-agent yet, skipped");
}

/* ---- the southbound database ---- */

static const struct sbrec_chassis *chassis_find(struct ovsdb_idl *idl,
						const char *name)
{
	const struct sbrec_chassis *ch;

	SBREC_CHASSIS_FOR_EACH (ch, idl)
		if (!strcmp(ch->name, name))
			return ch;
	return NULL;
}

static const struct sbrec_chassis_private *
chassis_private_find(struct ovsdb_idl *idl, const char *name)
{
	const struct sbrec_chassis_private *cp;

	SBREC_CHASSIS_PRIVATE_FOR_EACH (cp, idl)
		if (!strcmp(cp->name, name))
			return cp;
	return NULL;
}

/*
 * Registers this chassis: Chassis, its Encap and Chassis_Private, in one
 * transaction, and keeps them as configured.  Returns our Chassis row (NULL
 * until it exists).  Writes of unchanged values are dropped by the IDL.
 */
static const struct sbrec_chassis *
chassis_run(struct ovsdb_idl *idl, struct ovsdb_idl_txn *txn)
{
	const struct sbrec_chassis *ch = chassis_find(idl, cfg.system_id);
	const struct sbrec_chassis_private *cp;
	const struct sbrec_encap *e = NULL;
	struct smap opts = SMAP_INITIALIZER(&opts);
	struct smap oc = SMAP_INITIALIZER(&oc);
	char host[256] = "";
	size_t i;

	if (!txn)
		return ch;
	if (!ch) {
		VLOG_INFO("registering chassis %s (geneve %s)", cfg.system_id,
			  cfg.encap_ip);
		ch = sbrec_chassis_insert(txn);
		sbrec_chassis_set_name(ch, cfg.system_id);
	}
	gethostname(host, sizeof(host) - 1);
	sbrec_chassis_set_hostname(ch, host);
	/*
	 * No feature flags (port-up-notif, ct-no-masked-label,
	 * mac-binding-timestamp, ovn-ct-lb-related): northd AND-s them over
	 * all chassis, and lsdp honours none of them.
	 */
	if (cfg.bridge_mappings && cfg.bridge_mappings[0])
		smap_add(&oc, "ovn-bridge-mappings", cfg.bridge_mappings);
	smap_add(&oc, "lsdp-agent", LSDP_VERSION);
	sbrec_chassis_set_other_config(ch, &oc);
	smap_destroy(&oc);

	/* Exactly one Encap: geneve, our IP, csum. */
	for (i = 0; i < ch->n_encaps; i++)
		if (!strcmp(ch->encaps[i]->type, "geneve"))
			e = ch->encaps[i];
	if (!e || ch->n_encaps != 1) {
		struct sbrec_encap *ne;

		if (!e) {
			e = sbrec_encap_insert(txn);
		}
		ne = CONST_CAST(struct sbrec_encap *, e);
		sbrec_chassis_set_encaps(ch, &ne, 1);
	}
	sbrec_encap_set_type(e, "geneve");
	sbrec_encap_set_ip(e, cfg.encap_ip);
	smap_add(&opts, "csum", "true");
	sbrec_encap_set_options(e, &opts);
	smap_destroy(&opts);
	sbrec_encap_set_chassis_name(e, cfg.system_id);

	cp = chassis_private_find(idl, cfg.system_id);
	if (!cp) {
		cp = sbrec_chassis_private_insert(txn);
		sbrec_chassis_private_set_name(cp, cfg.system_id);
	}
	sbrec_chassis_private_set_chassis(cp, ch);
	return ch;
}

/* Datapath_Binding row -> the lsdp datapath made for it. */
struct dp_node {
	struct hmap_node node;
	const struct sbrec_datapath_binding *db;
	char name[AGENT_NAME_SIZE];
	bool router;
};

static struct dp_node *dp_lookup(const struct hmap *dps,
				 const struct sbrec_datapath_binding *db)
{
	struct dp_node *d;

	HMAP_FOR_EACH_WITH_HASH (d, node, hash_pointer(db, 0), dps)
		if (d->db == db)
			return d;
	return NULL;
}

static bool requested_here(const struct sbrec_port_binding *pb,
			   const char *host)
{
	const char *req = smap_get(&pb->options, "requested-chassis");
	bool ok = false;
	char *copy, *tok, *save = NULL;

	if (pb->requested_chassis)
		return !strcmp(pb->requested_chassis->name, cfg.system_id);
	if (!req || !req[0])
		return true;
	copy = xstrdup(req);
	for (tok = strtok_r(copy, ",", &save); tok && !ok;
	     tok = strtok_r(NULL, ",", &save))
		ok = !strcmp(tok, cfg.system_id) || !strcmp(tok, host);
	free(copy);
	return ok;
}

/*
 * An address of a mac column entry: an IPv4 or IPv6 address, with a
 * prefix length where @nets (a router port's networks).
 */
static bool valid_addr(const char *tok, bool nets)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash, *end;
	unsigned char a[16];
	bool v6;
	long plen;

	if (strlen(tok) >= sizeof(buf))
		return false;
	strcpy(buf, tok);
	slash = strchr(buf, '/');
	if (!slash != !nets)
		return false;
	if (slash)
		*slash = '\0';
	v6 = strchr(buf, ':') != NULL;
	if (inet_pton(v6 ? AF_INET6 : AF_INET, buf, a) != 1)
		return false;
	if (!slash)
		return true;
	plen = strtol(slash + 1, &end, 10);
	return slash[1] && !*end && plen >= 0 && plen <= (v6 ? 128 : 32);
}

/*
 * The mac column: "MAC [IP]..." entries, "unknown", and words that name
 * no address here ("dynamic", "router").  An lsdp port has one MAC: the
 * first entry gives it, later entries with the same MAC add their
 * addresses, and an entry with another MAC cannot be represented: it is
 * listed as unsupported and skipped.  A malformed entry, or a malformed
 * address in one, is listed and skipped; the rest of the port stays.
 */
static void parse_mac_column(const struct sbrec_port_binding *pb,
			     struct want_port *p, bool nets)
{
	struct eth_addr first = eth_addr_zero;
	bool have = false;
	size_t i;

	for (i = 0; i < pb->n_mac; i++) {
		char *copy, *tok, *save = NULL;
		struct eth_addr ea;

		if (!strcmp(pb->mac[i], "unknown")) {
			p->unknown = true;
			continue;
		}
		copy = xstrdup(pb->mac[i]);
		tok = strtok_r(copy, " ", &save);
		if (!tok || !strcmp(tok, "dynamic") || !strcmp(tok, "router")) {
			/* The real address is in NB (dynamic) or the peer's. */
			free(copy);
			continue;
		}
		if (!eth_addr_from_string(tok, &ea) ||
		    eth_addr_is_multicast(ea) || eth_addr_is_zero(ea)) {
			unsupported(pb->logical_port, "malformed mac entry");
			free(copy);
			continue;
		}
		if (have && !eth_addr_equals(ea, first)) {
			unsupported(pb->logical_port, "a second MAC");
			free(copy);
			continue;
		}
		if (!have) {
			have = true;
			first = ea;
			snprintf(p->mac, sizeof(p->mac), ETH_ADDR_FMT,
				 ETH_ADDR_ARGS(ea));
		}
		while ((tok = strtok_r(NULL, " ", &save))) {
			size_t j;
			bool dup = false;

			if (!valid_addr(tok, nets)) {
				unsupported(pb->logical_port,
					    "malformed address in its mac column");
				continue;
			}
			for (j = 0; j < (nets ? p->n_nets : p->n_addrs); j++)
				dup |= !strcmp(nets ? p->nets[j] : p->addrs[j], tok);
			if (dup)
				continue;
			if (nets)
				want_port_add_net(p, tok);
			else
				want_port_add_addr(p, tok);
		}
		free(copy);
	}
}

struct claim_ctx {
	struct ovsdb_idl_txn *txn;
	const struct sbrec_chassis *self;
	const struct shash *pbs;	/* logical_port -> Port_Binding */
	char host[256];
};

/* A local netdev names logical port @iface_id: claim its Port_Binding. */
static void claim_one(const char *iface_id, uint32_t ifindex,
		      const char *ifname, void *arg)
{
	struct claim_ctx *c = arg;
	const struct sbrec_port_binding *pb = shash_find_data(c->pbs, iface_id);
	const struct sbrec_port_binding *child;
	struct shash_node *n;

	(void)ifindex;
	if (!pb || pb->type[0] || pb->parent_port)
		return;
	if (!requested_here(pb, c->host)) {
		char *key = xasprintf("req:%s", pb->logical_port);

		log_once(key, "not claiming %s (netdev %s): requested-chassis "
			 "is another chassis", pb->logical_port, ifname);
		free(key);
		return;
	}
	if (pb->chassis != c->self) {
		VLOG_INFO("claiming %s for this chassis (netdev %s, was %s)",
			  pb->logical_port, ifname,
			  pb->chassis ? pb->chassis->name : "unbound");
		sbrec_port_binding_set_chassis(pb, c->self);
	}
	/* Trunk children go with their parent. */
	SHASH_FOR_EACH (n, c->pbs) {
		child = n->data;
		if (child->parent_port &&
		    !strcmp(child->parent_port, pb->logical_port) &&
		    child->chassis != c->self) {
			VLOG_INFO("claiming %s with its parent %s",
				  child->logical_port, pb->logical_port);
			sbrec_port_binding_set_chassis(child, c->self);
		}
	}
}

/*
 * Claims what the local netdevs name, releases what this chassis holds but
 * no netdev names any more.  Only with a transaction open.
 */
static void claims_run(struct ovsdb_idl *idl, struct ovsdb_idl_txn *txn,
		       const struct sbrec_chassis *self)
{
	struct shash pbs = SHASH_INITIALIZER(&pbs);
	struct claim_ctx c = { txn, self, &pbs, "" };
	const struct sbrec_port_binding *pb;

	gethostname(c.host, sizeof(c.host) - 1);
	SBREC_PORT_BINDING_FOR_EACH (pb, idl)
		shash_add_once(&pbs, pb->logical_port, pb);
	links_for_each_iface(links, claim_one, &c);

	SBREC_PORT_BINDING_FOR_EACH (pb, idl) {
		const struct sbrec_port_binding *parent;
		bool keep;
		bool f = false;

		if (pb->chassis != self || pb->type[0])
			continue;
		if (pb->parent_port) {
			parent = shash_find_data(&pbs, pb->parent_port);
			keep = parent && parent->chassis == self;
		} else {
			keep = links_find_iface(links, pb->logical_port) != 0 &&
			       requested_here(pb, c.host);
		}
		if (keep)
			continue;
		VLOG_INFO("releasing %s: no local netdev names it",
			  pb->logical_port);
		/*
		 * A VM that moved may be claimed by its new chassis before
		 * this replica has seen it: the transaction then fails on the
		 * changed chassis and the next pass, with the new chassis in
		 * view, leaves the port alone instead of undoing the claim.
		 */
		sbrec_port_binding_verify_chassis(pb);
		sbrec_port_binding_set_chassis(pb, NULL);
		sbrec_port_binding_set_up(pb, &f, 1);
	}
	shash_destroy(&pbs);
}

/*
 * Static neighbours of router ports, as northd's lr_in_arp_resolve has
 * them: the addresses of the ports on the switch a router port is joined
 * to, then what a chassis learned (MAC_Binding).  A chassis learns an
 * ARP reply where it enters, so hosts behind another chassis are known
 * here only this way.  kernel.c keeps those on the port's networks.
 */
static void build_neighs(struct ovsdb_idl *idl, struct want *w)
{
	const struct sbrec_mac_binding *mb;
	struct sset seen = SSET_INITIALIZER(&seen);
	struct sset rports = SSET_INITIALIZER(&rports);
	size_t i, j, k;

	for (i = 0; i < w->n_ports; i++) {
		const struct want_port *s = &w->ports[i];

		if (s->kind == WANT_ROUTER_PORT)
			sset_add(&rports, s->name);
		if (s->kind != WANT_ROUTER)
			continue;
		for (j = 0; j < w->n_ports; j++) {
			const struct want_port *v = &w->ports[j];

			if (v->kind != WANT_VIF || !v->mac[0] ||
			    strcmp(v->dp, s->dp))
				continue;
			for (k = 0; k < v->n_addrs; k++) {
				struct want_neigh *n;
				char *key = xasprintf("%s|%s", s->peer, v->addrs[k]);

				if (!sset_add(&seen, key)) {
					free(key);
					continue;
				}
				free(key);
				n = want_add_neigh(w);
				snprintf(n->port, sizeof(n->port), "%s", s->peer);
				snprintf(n->ip, sizeof(n->ip), "%s", v->addrs[k]);
				snprintf(n->mac, sizeof(n->mac), "%s", v->mac);
			}
		}
	}
	SBREC_MAC_BINDING_FOR_EACH (mb, idl) {
		struct want_neigh *n;
		char *key;

		if (!sset_contains(&rports, mb->logical_port))
			continue;
		key = xasprintf("%s|%s", mb->logical_port, mb->ip);
		if (!sset_add(&seen, key)) {
			free(key);
			continue;
		}
		free(key);
		n = want_add_neigh(w);
		snprintf(n->port, sizeof(n->port), "%s", mb->logical_port);
		snprintf(n->ip, sizeof(n->ip), "%s", mb->ip);
		snprintf(n->mac, sizeof(n->mac), "%s", mb->mac);
	}
	sset_destroy(&seen);
	sset_destroy(&rports);
}

/*
 * Static routes, read where SB has them: the router's lr_in_ip_routing
 * logical flows (the agent monitors only that stage).  One is
 *	match   [reg7 == 0 && ]ip4.dst == PREFIX      (ip6.dst)
 *	actions ...; reg0 = NEXTHOP; ...; outport = "PORT"; ...
 * (xxreg0 for IPv6).  Connected routes (reg0 = ip4.dst) come from the
 * router ports' networks; ECMP groups, source routes, route tables and
 * discard routes are skipped.
 */
static bool parse_route_flow(const struct sbrec_logical_flow *lf,
			     struct want_route *r)
{
	const char *m = lf->match, *p;
	char *acts, *tok, *save = NULL;
	bool have_via = false, have_port = false, bad = false;
	bool v6;
	int n = 0;

	if (!strncmp(m, "reg7 == 0 && ", 13))
		m += 13;
	if (!strncmp(m, "ip4.dst == ", 11))
		v6 = false;
	else if (!strncmp(m, "ip6.dst == ", 11))
		v6 = true;
	else
		return false;
	p = m + 11;
	if (strchr(p, ' ') || strlen(p) >= sizeof(r->prefix) - 5)
		return false;
	if (strchr(p, '/'))
		snprintf(r->prefix, sizeof(r->prefix), "%s", p);
	else
		snprintf(r->prefix, sizeof(r->prefix), "%s/%d", p, v6 ? 128 : 32);
	if (strstr(lf->actions, "select(") || strstr(lf->actions, "drop;"))
		return false;
	acts = xstrdup(lf->actions);
	for (tok = strtok_r(acts, ";", &save); tok && !bad;
	     tok = strtok_r(NULL, ";", &save)) {
		char val[64];

		while (*tok == ' ')
			tok++;
		if (ovs_scan(tok, v6 ? "xxreg0 = %63s%n" : "reg0 = %63s%n", val, &n)) {
			if (strstr(val, ".dst"))
				bad = true;	/* connected */
			snprintf(r->via, sizeof(r->via), "%s", val);
			have_via = true;
		} else if (ovs_scan(tok, "outport = \"%63[^\"]\"", val)) {
			snprintf(r->port, sizeof(r->port), "%s", val);
			have_port = true;
		} else if (ovs_scan(tok, "reg8[0..15] = %63s", val) &&
			   strcmp(val, "0")) {
			bad = true;	/* an ECMP group */
		}
	}
	free(acts);
	return !bad && have_via && have_port;
}

static void build_routes(struct ovsdb_idl *idl, const struct hmap *dps,
			 struct want *w)
{
	const struct sbrec_logical_flow *lf;

	SBREC_LOGICAL_FLOW_FOR_EACH (lf, idl) {
		const struct sbrec_datapath_binding *one[1];
		const struct sbrec_datapath_binding *const *dbs = one;
		struct want_route r;
		size_t n = 0, i;

		if (strcmp(lf->pipeline, "ingress") ||
		    strcmp(smap_get_def(&lf->external_ids, "stage-name", ""),
			   "lr_in_ip_routing"))
			continue;
		memset(&r, 0, sizeof(r));
		if (!parse_route_flow(lf, &r))
			continue;
		if (lf->logical_datapath) {
			one[0] = lf->logical_datapath;
			n = 1;
		} else if (lf->logical_dp_group) {
			dbs = (const struct sbrec_datapath_binding *const *)
				lf->logical_dp_group->datapaths;
			n = lf->logical_dp_group->n_datapaths;
		}
		for (i = 0; i < n; i++) {
			struct dp_node *d = dp_lookup(dps, dbs[i]);
			struct want_route *x;

			if (!d || !d->router)
				continue;
			x = want_add_route(w);
			*x = r;
			snprintf(x->router, sizeof(x->router), "%s", d->name);
		}
	}
}

/* Computes the kernel state the southbound database describes. */
static void build_want(struct ovsdb_idl *idl, const struct sbrec_chassis *self,
		       struct want *w)
{
	const struct sbrec_datapath_binding *db;
	const struct sbrec_port_binding *pb;
	const struct sbrec_chassis *ch;
	struct hmap dps = HMAP_INITIALIZER(&dps);
	struct sset names = SSET_INITIALIZER(&names);
	struct sset chassis = SSET_INITIALIZER(&chassis);
	struct shash pbs = SHASH_INITIALIZER(&pbs);
	struct dp_node *d;

	sset_clear(&st.unsupported);
	smap_clear(&st.ls_dps);
	smap_clear(&st.lr_dps);
	snprintf(w->encap_ip, sizeof(w->encap_ip), "%s", cfg.encap_ip);
	w->encap_csum = true;

	SBREC_DATAPATH_BINDING_FOR_EACH (db, idl) {
		const char *name = smap_get(&db->external_ids, "name");
		bool router = smap_get(&db->external_ids, "logical-router") != NULL;
		bool sw = smap_get(&db->external_ids, "logical-switch") != NULL;
		struct want_dp *wd;
		char buf[AGENT_NAME_SIZE];

		if (router == sw) {
			char *u = xasprintf("datapath " UUID_FMT,
					    UUID_ARGS(&db->header_.uuid));
			unsupported(u, "neither switch nor router");
			free(u);
			continue;
		}
		if (db->tunnel_key < 1 || db->tunnel_key > 0xffffff) {
			log_once(name ? name : "?", "datapath %s: tunnel key %"PRId64
				 " out of range, skipped", name ? name : "?",
				 db->tunnel_key);
			continue;
		}
		/* Named as in NB; a name lsdp cannot take, or taken, by key. */
		if (!name || !agent_name_copy(buf, name) ||
		    sset_contains(&names, name))
			snprintf(buf, sizeof(buf), "dp%"PRId64, db->tunnel_key);
		sset_add(&names, buf);
		d = xzalloc(sizeof(*d));
		d->db = db;
		d->router = router;
		snprintf(d->name, sizeof(d->name), "%s", buf);
		hmap_insert(&dps, &d->node, hash_pointer(db, 0));
		if (sw)
			smap_replace(&st.ls_dps, smap_get(&db->external_ids,
							  "logical-switch"), buf);
		else
			smap_replace(&st.lr_dps, smap_get(&db->external_ids,
							  "logical-router"), buf);
		wd = want_add_dp(w);
		snprintf(wd->name, sizeof(wd->name), "%s", buf);
		wd->key = (uint32_t)db->tunnel_key;
		wd->router = router;
	}

	SBREC_CHASSIS_FOR_EACH (ch, idl) {
		struct want_chassis *wc;
		const char *ip = NULL;
		char buf[AGENT_NAME_SIZE];
		size_t i;

		if (ch == self || !strcmp(ch->name, cfg.system_id))
			continue;
		for (i = 0; i < ch->n_encaps && !ip; i++)
			if (!strcmp(ch->encaps[i]->type, "geneve"))
				ip = ch->encaps[i]->ip;
		if (!ip) {
			unsupported(ch->name, "chassis without a geneve encap");
			continue;
		}
		if (!agent_name_copy(buf, ch->name)) {
			unsupported(ch->name, "chassis name too long");
			continue;
		}
		wc = want_add_chassis(w);
		snprintf(wc->name, sizeof(wc->name), "%s", buf);
		snprintf(wc->ip, sizeof(wc->ip), "%s", ip);
		sset_add(&chassis, buf);
	}

	SBREC_PORT_BINDING_FOR_EACH (pb, idl)
		shash_add_once(&pbs, pb->logical_port, pb);

	SBREC_PORT_BINDING_FOR_EACH (pb, idl) {
		struct want_port tmp, *p;
		const char *type = pb->type;

		d = pb->datapath ? dp_lookup(&dps, pb->datapath) : NULL;
		if (!d) {
			char *key = xasprintf("nodp:%s", pb->logical_port);

			log_once(key, "port %s: its datapath is not known (yet), "
				 "skipped", pb->logical_port);
			free(key);
			continue;
		}
		memset(&tmp, 0, sizeof(tmp));
		if (!agent_name_copy(tmp.name, pb->logical_port)) {
			unsupported(pb->logical_port, "name longer than 63");
			continue;
		}
		if (pb->tunnel_key < 1 || pb->tunnel_key > 32767) {
			unsupported(pb->logical_port, "tunnel key out of range");
			continue;
		}
		if (d->router) {
			if (strcmp(type, "patch")) {
				unsupported(pb->logical_port, type[0] ? type : "vif");
				continue;
			}
			tmp.kind = WANT_ROUTER_PORT;
		} else if (!type[0]) {
			tmp.kind = WANT_VIF;
		} else if (!strcmp(type, "patch")) {
			const char *peer = smap_get(&pb->options, "peer");
			const struct sbrec_port_binding *ppb =
				peer ? shash_find_data(&pbs, peer) : NULL;
			struct dp_node *pd = ppb && ppb->datapath ?
				dp_lookup(&dps, ppb->datapath) : NULL;

			if (!pd || !pd->router ||
			    !agent_name_copy(tmp.peer, peer)) {
				unsupported(pb->logical_port,
					    "patch without a router peer");
				continue;
			}
			tmp.kind = WANT_ROUTER;
		} else if (!strcmp(type, "localnet")) {
			const char *net = smap_get(&pb->options, "network_name");
			const char *ifname = net ? smap_get(&cfg.mappings, net) : NULL;

			if (!ifname) {
				char *key = xasprintf("map:%s", pb->logical_port);

				log_once(key, "localnet port %s: no bridge mapping "
					 "for \"%s\" here, skipped",
					 pb->logical_port, net ? net : "");
				free(key);
				continue;
			}
			tmp.kind = WANT_LOCALNET;
			tmp.ifindex = links_find_name(links, ifname);
			if (!tmp.ifindex) {
				char *key = xasprintf("nodev:%s", pb->logical_port);

				log_once(key, "localnet port %s: no netdev %s",
					 pb->logical_port, ifname);
				free(key);
				continue;
			}
			if (pb->n_tag)
				tmp.tag = (uint16_t)*pb->tag;
		} else {
			unsupported(pb->logical_port, type);
			continue;
		}

		p = want_add_port(w);
		*p = tmp;
		snprintf(p->dp, sizeof(p->dp), "%s", d->name);
		p->key = (uint32_t)pb->tunnel_key;
		if (p->kind != WANT_ROUTER)
			parse_mac_column(pb, p, p->kind == WANT_ROUTER_PORT);
		if (p->kind == WANT_LOCALNET)
			p->unknown = true;
		if (p->kind != WANT_VIF)
			continue;
		if (pb->parent_port) {
			if (!pb->n_tag || *pb->tag < 1 || *pb->tag > 4094 ||
			    !agent_name_copy(p->parent, pb->parent_port)) {
				w->n_ports--;
				free(p->addrs);
				unsupported(pb->logical_port, "child without a tag");
				continue;
			}
			p->tag = (uint16_t)*pb->tag;
		} else if (self && pb->chassis == self) {
			p->ifindex = links_find_iface(links, pb->logical_port);
		} else if (pb->chassis && sset_contains(&chassis, pb->chassis->name)) {
			snprintf(p->chassis, sizeof(p->chassis), "%s",
				 pb->chassis->name);
		}
	}

	build_neighs(idl, w);
	build_routes(idl, &dps, w);

	st.n_dps = w->n_dps;
	st.n_ports = w->n_ports;
	HMAP_FOR_EACH_POP (d, node, &dps)
		free(d);
	hmap_destroy(&dps);
	sset_destroy(&names);
	sset_destroy(&chassis);
	shash_destroy(&pbs);
}

/* Port_Binding.up follows whether the kernel port forwards here. */
static void up_run(struct ovsdb_idl *idl, const struct sbrec_chassis *self)
{
	const struct sbrec_port_binding *pb;
	size_t claimed = 0;

	SBREC_PORT_BINDING_FOR_EACH (pb, idl) {
		uint32_t ifindex;
		bool up;

		if (!self || pb->chassis != self || pb->type[0])
			continue;
		claimed++;
		if (pb->parent_port)
			ifindex = links_find_iface(links, pb->parent_port);
		else
			ifindex = links_find_iface(links, pb->logical_port);
		up = kernel_port_bound(kern, pb->parent_port ? pb->parent_port
							     : pb->logical_port,
				       ifindex);
		if (!pb->n_up || pb->up[0] != up) {
			VLOG_INFO("port %s is %s", pb->logical_port,
				  up ? "up" : "down");
			sbrec_port_binding_set_up(pb, &up, 1);
		}
	}
	st.n_claimed = claimed;
}

/*
 * MAC_Binding export, as ovn-controller's pinctrl does: what this
 * chassis's routers learned from ARP/ND (an answer enters at the chassis
 * of the host that sent it, so only this chassis can know it) is written
 * for the other chassis, {logical_port, ip, mac, datapath, timestamp}.
 * Read from the kernel every MAC_BINDING_POLL_MS: the kernel's learned
 * bindings are its own, the agent only copies them out.  build_neighs()
 * then makes them static here too, as OVN's flows do on every chassis.
 */
#define MAC_BINDING_POLL_MS 1000

static void mac_bindings_run(struct ovsdb_idl *idl, struct ovsdb_idl_txn *txn)
{
	const struct sbrec_mac_binding *mb;
	const struct sbrec_port_binding *pb;
	struct shash rports = SHASH_INITIALIZER(&rports);
	struct shash have = SHASH_INITIALIZER(&have);
	struct want_neigh *v;
	size_t n, i;

	if (kernel_learned(kern, &v, &n) || !n) {
		shash_destroy(&rports);
		shash_destroy(&have);
		return;
	}
	SBREC_PORT_BINDING_FOR_EACH (pb, idl)
		if (pb->datapath && !strcmp(pb->type, "patch") &&
		    smap_get(&pb->datapath->external_ids, "logical-router"))
			shash_add_once(&rports, pb->logical_port, pb);
	SBREC_MAC_BINDING_FOR_EACH (mb, idl) {
		char *key = xasprintf("%s|%s", mb->logical_port, mb->ip);

		shash_add_once(&have, key, mb);
		free(key);
	}
	for (i = 0; i < n; i++) {
		char *key = xasprintf("%s|%s", v[i].port, v[i].ip);

		pb = shash_find_data(&rports, v[i].port);
		mb = shash_find_data(&have, key);
		free(key);
		if (!pb)
			continue;
		if (mb && !strcasecmp(mb->mac, v[i].mac))
			continue;
		if (!mb) {
			mb = sbrec_mac_binding_insert(txn);
			sbrec_mac_binding_set_logical_port(mb, v[i].port);
			sbrec_mac_binding_set_ip(mb, v[i].ip);
			sbrec_mac_binding_set_datapath(mb, pb->datapath);
		}
		VLOG_INFO("MAC_Binding %s %s is %s (learned here)", v[i].port,
			  v[i].ip, v[i].mac);
		sbrec_mac_binding_set_mac(mb, v[i].mac);
		sbrec_mac_binding_set_timestamp(mb, time_wall_msec());
		st.n_exported++;
	}
	free(v);
	shash_destroy(&rports);
	shash_destroy(&have);
}

/* ---- the northbound database: ACLs, port groups, address sets ---- */

static struct ovsdb_idl *nb_idl;	/* NULL without ovn-nb-remote */

/* The IPv4 (@v6 false) or IPv6 addresses of @lsp's "addresses" column. */
static void lsp_ips(const struct nbrec_logical_switch_port *lsp, bool v6,
		    struct want_set *as)
{
	size_t i;

	for (i = 0; i < lsp->n_addresses; i++) {
		char *copy = xstrdup(lsp->addresses[i]), *save = NULL, *tok;
		bool first = true;

		for (tok = strtok_r(copy, " ", &save); tok;
		     tok = strtok_r(NULL, " ", &save), first = false) {
			struct in6_addr a6;
			struct in_addr a4;

			/* "MAC IP...": "router", "dynamic", "unknown" have none. */
			if (first)
				continue;
			if (!v6 && inet_pton(AF_INET, tok, &a4) == 1)
				want_set_add(as, tok);
			else if (v6 && inet_pton(AF_INET6, tok, &a6) == 1)
				want_set_add(as, tok);
		}
		free(copy);
	}
}

static void acl_from_nb(struct want_acls *w, const struct nbrec_acl *a,
			const char *owner, bool on_pg)
{
	struct want_acl *x;

	if (a->priority < 0 || a->priority > 32767) {
		char id[40];

		snprintf(id, sizeof(id), UUID_FMT, UUID_ARGS(&a->header_.uuid));
		agent_acl_unsupported(id, "priority out of range: left out");
		return;
	}
	x = want_add_acl(w);
	snprintf(x->owner, sizeof(x->owner), "%s", owner);
	x->on_pg = on_pg;
	x->to_lport = !strcmp(a->direction, "to-lport");
	x->prio = (uint16_t)a->priority;
	snprintf(x->action, sizeof(x->action), "%s", a->action);
	if (a->name && !agent_name_copy(x->name, a->name))
		x->name[0] = '\0';	/* a label lsdp cannot hold: none */
	x->match = xstrdup(a->match);
	snprintf(x->id, sizeof(x->id), UUID_FMT, UUID_ARGS(&a->header_.uuid));
}

/*
 * NB's ACLs on switches (named as build_want named their datapaths) and on
 * port groups, the port groups, and the address sets: NB's own and the
 * <PG>_ip4/<PG>_ip6 sets OVN derives from each port group's addresses.
 */
static void build_acls(struct want_acls *w)
{
	const struct nbrec_logical_switch *ls;
	const struct nbrec_address_set *as;
	const struct nbrec_port_group *pg;
	char name[AGENT_NAME_SIZE];
	size_t i;

	sset_clear(&st.acl_unsupported);
	NBREC_ADDRESS_SET_FOR_EACH (as, nb_idl) {
		struct want_set *x;

		if (!agent_name_copy(name, as->name)) {
			unsupported(as->name, "address set name too long");
			continue;
		}
		x = want_add_set(&w->ases, &w->n_ases, &w->cap_ases);
		snprintf(x->name, sizeof(x->name), "%s", name);
		for (i = 0; i < as->n_addresses; i++)
			want_set_add(x, as->addresses[i]);
	}
	NBREC_PORT_GROUP_FOR_EACH (pg, nb_idl) {
		struct want_set *x, *v4, *v6;
		char *n4, *n6;

		n4 = xasprintf("%s_ip4", pg->name);
		n6 = xasprintf("%s_ip6", pg->name);
		if (!agent_name_copy(name, n6)) {
			unsupported(pg->name, "port group name too long");
			free(n4);
			free(n6);
			continue;
		}
		x = want_add_set(&w->pgs, &w->n_pgs, &w->cap_pgs);
		snprintf(x->name, sizeof(x->name), "%s", pg->name);
		for (i = 0; i < pg->n_ports; i++)
			want_set_add(x, pg->ports[i]->name);
		v4 = want_add_set(&w->ases, &w->n_ases, &w->cap_ases);
		snprintf(v4->name, sizeof(v4->name), "%s", n4);
		v6 = want_add_set(&w->ases, &w->n_ases, &w->cap_ases);
		snprintf(v6->name, sizeof(v6->name), "%s", n6);
		for (i = 0; i < pg->n_ports; i++) {
			lsp_ips(pg->ports[i], false, v4);
			lsp_ips(pg->ports[i], true, v6);
		}
		free(n4);
		free(n6);
		for (i = 0; i < pg->n_acls; i++)
			acl_from_nb(w, pg->acls[i], pg->name, true);
	}
	NBREC_LOGICAL_SWITCH_FOR_EACH (ls, nb_idl) {
		char uuid[UUID_LEN + 1];
		const char *dp;

		snprintf(uuid, sizeof(uuid), UUID_FMT, UUID_ARGS(&ls->header_.uuid));
		dp = smap_get(&st.ls_dps, uuid);
		if (!dp)
			continue;	/* not in SB yet: its ACLs come with it */
		for (i = 0; i < ls->n_acls; i++)
			acl_from_nb(w, ls->acls[i], dp, false);
	}
}

/*
 * NB's NAT rules of the routers SB has (named as build_want named their
 * datapaths); knat.c turns them into the kernel's.  What ovn-nb(5) says of
 * a NAT row and lsdp cannot hold is listed (agent_nat_unsupported).
 */
static void build_nats(struct want_nats *w)
{
	const struct nbrec_logical_router *lr;
	size_t i;

	sset_clear(&st.nat_unsupported);
	NBREC_LOGICAL_ROUTER_FOR_EACH (lr, nb_idl) {
		char uuid[UUID_LEN + 1];
		const char *dp;

		snprintf(uuid, sizeof(uuid), UUID_FMT, UUID_ARGS(&lr->header_.uuid));
		dp = smap_get(&st.lr_dps, uuid);
		if (!dp)
			continue;	/* not in SB yet: its rules come with it */
		for (i = 0; i < lr->n_nat; i++) {
			const struct nbrec_nat *n = lr->nat[i];
			struct want_nat *x;
			char id[40];

			snprintf(id, sizeof(id), UUID_FMT,
				 UUID_ARGS(&n->header_.uuid));
			if (n->allowed_ext_ips || n->exempted_ext_ips) {
				agent_nat_unsupported(id, "allowed_ext_ips/"
						      "exempted_ext_ips not "
						      "supported: left out");
				continue;
			}
			if (smap_get_bool(&n->options, "stateless", false))
				agent_nat_unsupported(id, "stateless: installed "
						      "stateful (the same "
						      "translation)");
			x = want_add_nat(w);
			snprintf(x->id, sizeof(x->id), "%s", id);
			snprintf(x->router, sizeof(x->router), "%s", dp);
			snprintf(x->type, sizeof(x->type), "%s", n->type);
			snprintf(x->external, sizeof(x->external), "%s",
				 n->external_ip);
			snprintf(x->logical, sizeof(x->logical), "%s",
				 n->logical_ip);
			if (n->logical_port &&
			    !agent_name_copy(x->port, n->logical_port))
				x->port[0] = '\0';	/* no such lsdp port */
			if (n->external_mac)
				snprintf(x->mac, sizeof(x->mac), "%s",
					 n->external_mac);
			snprintf(x->range, sizeof(x->range), "%s",
				 n->external_port_range);
		}
	}
}

/* ---- unixctl ---- */

static struct ovsdb_idl *sb_idl;

static const char *idl_state(struct ovsdb_idl *idl)
{
	return ovsdb_idl_is_connected(idl) ? "connected"
	       : ovsdb_idl_has_ever_connected(idl) ? "reconnecting"
	       : "connecting";
}

static void cmd_status(struct unixctl_conn *conn, int argc OVS_UNUSED,
		       const char *argv[] OVS_UNUSED, void *aux OVS_UNUSED)
{
	struct ds s = DS_EMPTY_INITIALIZER;
	struct kernel_counts kc;
	const char *u;

	kernel_counts(kern, &kc);
	ds_put_format(&s, "chassis: %s\n", cfg.system_id);
	ds_put_format(&s, "encap: geneve %s\n", cfg.encap_ip);
	ds_put_format(&s, "sb remotes: %s\n", cfg.remote);
	ds_put_format(&s, "sb state: %s\n", idl_state(sb_idl));
	ds_put_format(&s, "datapaths: %"PRIuSIZE"\n", st.n_dps);
	ds_put_format(&s, "ports: %"PRIuSIZE"\n", st.n_ports);
	ds_put_format(&s, "claimed ports: %"PRIuSIZE"\n", st.n_claimed);
	ds_put_format(&s, "kernel: %"PRIuSIZE" datapaths, %"PRIuSIZE" ports "
		      "(%"PRIuSIZE" on local netdevs), %"PRIuSIZE" chassis\n",
		      kc.dps, kc.ports, kc.bound, kc.chassis);
	ds_put_format(&s, "kernel static neighbours: %"PRIuSIZE"\n",
		      kc.static_neighs);
	ds_put_format(&s, "kernel static routes: %"PRIuSIZE"\n",
		      kc.static_routes);
	ds_put_format(&s, "kernel changes sent: %llu\n", kc.requests);
	ds_put_format(&s, "mac bindings exported: %"PRIuSIZE"\n",
		      st.n_exported);
	ds_put_format(&s, "kernel refusals in the last pass: %d\n",
		      st.kernel_errors);
	if (nb_idl) {
		ds_put_format(&s, "nb remotes: %s\n", cfg.nb_remote);
		ds_put_format(&s, "nb state: %s\n", idl_state(nb_idl));
		ds_put_format(&s, "acls: %"PRIuSIZE"\n", st.n_acls);
		ds_put_format(&s, "kernel refusals of acl objects in the last "
			      "pass: %d\n", st.acl_errors);
		ds_put_format(&s, "nats: %"PRIuSIZE"\n", st.n_nats);
		ds_put_format(&s, "kernel refusals of nat rules in the last "
			      "pass: %d\n", st.nat_errors);
	} else {
		ds_put_cstr(&s, "nb remotes: none (ACLs not read)\n");
	}
	if (st.nb_cfg_set)
		ds_put_format(&s, "nb_cfg: %"PRId64"\n", st.nb_cfg);
	else
		ds_put_cstr(&s, "nb_cfg: none\n");
	{
		struct rusage ru;
		long rss_kb = 0;
		FILE *f = fopen("/proc/self/statm", "r");
		unsigned long size, res;

		if (f) {
			if (fscanf(f, "%lu %lu", &size, &res) == 2)
				rss_kb = (long)(res * (unsigned long)sysconf(_SC_PAGESIZE) / 1024);
			fclose(f);
		}
		getrusage(RUSAGE_SELF, &ru);
		ds_put_format(&s, "rss: %ld kB\n", rss_kb);
		ds_put_format(&s, "cpu: %ld ms\n",
			      (long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
			      (long)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000);
	}
	ds_put_format(&s, "unsupported: %"PRIuSIZE"\n",
		      sset_count(&st.unsupported));
	SSET_FOR_EACH (u, &st.unsupported)
		ds_put_format(&s, "  %s\n", u);
	ds_put_format(&s, "unsupported acls: %"PRIuSIZE"\n",
		      sset_count(&st.acl_unsupported));
	SSET_FOR_EACH (u, &st.acl_unsupported)
		ds_put_format(&s, "  %s\n", u);
	ds_put_format(&s, "unsupported nats: %"PRIuSIZE"\n",
		      sset_count(&st.nat_unsupported));
	SSET_FOR_EACH (u, &st.nat_unsupported)
		ds_put_format(&s, "  %s\n", u);
	unixctl_command_reply(conn, ds_cstr(&s));
	ds_destroy(&s);
}

static void cmd_exit(struct unixctl_conn *conn, int argc, const char *argv[],
		     void *aux OVS_UNUSED)
{
	exiting = true;
	exit_keep = argc > 1 && !strcmp(argv[1], "--keep-chassis");
	unixctl_command_reply(conn, NULL);
}

static void on_signal(int sig OVS_UNUSED)
{
	char c = 0;

	exiting = true;
	if (write(sig_pipe[1], &c, 1) < 0) {
		/* The flag is set; the pipe only wakes the loop. */
	}
}

/* Clean exit: release our ports, delete Chassis_Private and Chassis. */
static void unregister(struct ovsdb_idl_loop *loop)
{
	long long deadline = time_msec() + 5000;

	if (!ovsdb_idl_has_ever_connected(loop->idl))
		return;
	for (;;) {
		struct ovsdb_idl_txn *txn = ovsdb_idl_loop_run(loop);
		const struct sbrec_chassis *ch = chassis_find(loop->idl,
							      cfg.system_id);
		const struct sbrec_chassis_private *cp =
			chassis_private_find(loop->idl, cfg.system_id);
		const struct sbrec_port_binding *pb;

		if (!ch && !cp && !loop->committing_txn)
			break;
		if (txn) {
			bool f = false;

			ovsdb_idl_txn_add_comment(txn, "lsdp-agent: removing "
						  "chassis %s", cfg.system_id);
			SBREC_PORT_BINDING_FOR_EACH (pb, loop->idl) {
				if (ch && pb->chassis == ch) {
					sbrec_port_binding_set_chassis(pb, NULL);
					sbrec_port_binding_set_up(pb, &f, 1);
				}
			}
			if (cp)
				sbrec_chassis_private_delete(cp);
			if (ch)
				sbrec_chassis_delete(ch);
		}
		ovsdb_idl_loop_commit_and_wait(loop);
		if (time_msec() >= deadline) {
			VLOG_WARN("could not remove chassis %s in time",
				  cfg.system_id);
			break;
		}
		poll_timer_wait_until(deadline);
		poll_block();
	}
	VLOG_INFO("chassis %s removed", cfg.system_id);
}

int main(int argc, char *argv[])
{
	struct unixctl_server *unixctl;
	struct ovsdb_idl_loop loop;
	unsigned int last_seqno = 0, last_nb_seqno = 0;
	bool dirty = true, pending = false;
	long long retry_at = LLONG_MAX;
	long long learn_at = 0;
	struct sigaction sa;
	size_t i;
	int r;

	set_program_name(argv[0]);
	service_start(&argc, &argv);
	sset_init(&st.unsupported);
	sset_init(&st.logged);
	sset_init(&st.acl_unsupported);
	sset_init(&st.nat_unsupported);
	smap_init(&st.ls_dps);
	smap_init(&st.lr_dps);
	parse_options(argc, argv);

	/* Our handler first: fatal-signal then leaves SIGTERM/SIGINT to us. */
	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		ovs_fatal(errno, "pipe");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	fatal_ignore_sigpipe();

	open_netlink();

	daemonize_start(false);
	r = unixctl_server_create(cfg.unixctl, &unixctl);
	if (r)
		ovs_fatal(r, "cannot create the control socket");
	unixctl_command_register("status", "", 0, 0, cmd_status, NULL);
	unixctl_command_register("exit", "[--keep-chassis]", 0, 1, cmd_exit,
				 NULL);
	daemonize_complete();

	loop = (struct ovsdb_idl_loop)OVSDB_IDL_LOOP_INITIALIZER(
		ovsdb_idl_create(cfg.remote, &sbrec_idl_class, false, true));
	sb_idl = loop.idl;
	/* Read from any cluster member, as ovn-controller does. */
	ovsdb_idl_set_leader_only(loop.idl, false);
	ovsdb_idl_set_write_changed_only_all(loop.idl, true);
	{
		const struct ovsdb_idl_table_class *tables[] = {
			&sbrec_table_sb_global, &sbrec_table_chassis,
			&sbrec_table_chassis_private, &sbrec_table_encap,
			&sbrec_table_datapath_binding, &sbrec_table_port_binding,
			&sbrec_table_mac_binding, &sbrec_table_logical_flow,
			&sbrec_table_logical_dp_group,
		};

		for (i = 0; i < ARRAY_SIZE(tables); i++) {
			size_t j;

			ovsdb_idl_add_table(loop.idl, tables[i]);
			for (j = 0; j < tables[i]->n_columns; j++)
				ovsdb_idl_add_column(loop.idl,
						     &tables[i]->columns[j]);
		}
	}
	{
		/* Of the logical flows, only the routing stage: static routes. */
		struct ovsdb_idl_condition cond = OVSDB_IDL_CONDITION_INIT(&cond);
		struct smap stage = SMAP_INITIALIZER(&stage);

		smap_add(&stage, "stage-name", "lr_in_ip_routing");
		sbrec_logical_flow_add_clause_external_ids(&cond, OVSDB_F_INCLUDES,
							   &stage);
		sbrec_logical_flow_set_condition(loop.idl, &cond);
		ovsdb_idl_condition_destroy(&cond);
		smap_destroy(&stage);
	}
	if (cfg.nb_remote) {
		/* Only what ACLs and NAT need; nothing is written to NB. */
		static const struct ovsdb_idl_column *cols[] = {
			&nbrec_nb_global_col_nb_cfg,
			&nbrec_acl_col_action, &nbrec_acl_col_direction,
			&nbrec_acl_col_match, &nbrec_acl_col_name,
			&nbrec_acl_col_priority,
			&nbrec_logical_switch_col_acls,
			&nbrec_logical_switch_port_col_name,
			&nbrec_logical_switch_port_col_addresses,
			&nbrec_port_group_col_name, &nbrec_port_group_col_ports,
			&nbrec_port_group_col_acls,
			&nbrec_address_set_col_name,
			&nbrec_address_set_col_addresses,
			/* NAT rules of routers (knat.c) */
			&nbrec_logical_router_col_nat,
			&nbrec_nat_col_type, &nbrec_nat_col_external_ip,
			&nbrec_nat_col_logical_ip, &nbrec_nat_col_logical_port,
			&nbrec_nat_col_external_mac,
			&nbrec_nat_col_external_port_range,
			&nbrec_nat_col_options,
			&nbrec_nat_col_allowed_ext_ips,
			&nbrec_nat_col_exempted_ext_ips,
		};

		nb_idl = ovsdb_idl_create(cfg.nb_remote, &nbrec_idl_class,
					  false, true);
		ovsdb_idl_set_leader_only(nb_idl, false);
		for (i = 0; i < ARRAY_SIZE(cols); i++)
			ovsdb_idl_add_column(nb_idl, cols[i]);
	}
	VLOG_INFO("lsdp-agent %s: chassis %s, southbound %s", LSDP_VERSION,
		  cfg.system_id, cfg.remote);

	while (!exiting) {
		struct ovsdb_idl_txn *txn = ovsdb_idl_loop_run(&loop);
		const struct sbrec_chassis *self;
		char c;

		while (read(sig_pipe[0], &c, 1) > 0)
			;
		unixctl_server_run(unixctl);
		if (links_run(links))
			dirty = true;
		if (ovsdb_idl_get_seqno(loop.idl) != last_seqno) {
			last_seqno = ovsdb_idl_get_seqno(loop.idl);
			dirty = true;
		}
		if (nb_idl) {
			ovsdb_idl_run(nb_idl);
			if (ovsdb_idl_get_seqno(nb_idl) != last_nb_seqno) {
				last_nb_seqno = ovsdb_idl_get_seqno(nb_idl);
				dirty = true;
			}
		}
		if (time_msec() >= retry_at)
			dirty = true;

		/*
		 * Nothing is changed in the kernel before the southbound
		 * database was read once: an agent that starts while SB is
		 * away leaves the kernel as it is.
		 */
		if (ovsdb_idl_has_ever_connected(loop.idl) &&
		    (dirty || (pending && txn))) {
			struct want w;
			const struct sbrec_sb_global *g;

			memset(&w, 0, sizeof(w));
			self = chassis_run(loop.idl, txn);
			if (txn && self)
				claims_run(loop.idl, txn, self);
			build_want(loop.idl, self, &w);
			st.kernel_errors = kernel_sync(kern, &w);
			want_clear(&w);
			/*
			 * ACL objects after the topology: port groups name
			 * ports, ACLs switches.  Until NB was read once, the
			 * kernel's ACLs are left as they are.
			 */
			if (nb_idl && ovsdb_idl_has_ever_connected(nb_idl)) {
				struct want_acls wa;
				struct want_nats wn;

				memset(&wa, 0, sizeof(wa));
				build_acls(&wa);
				st.acl_errors = kernel_acl_sync(kern, &wa, &st.n_acls);
				want_acls_clear(&wa);
				if (st.acl_errors)
					st.kernel_errors += st.acl_errors;
				/* NAT rules name routers and (distributed) ports. */
				memset(&wn, 0, sizeof(wn));
				build_nats(&wn);
				st.nat_errors = kernel_nat_sync(kern, &wn, &st.n_nats);
				want_nats_clear(&wn);
				st.kernel_errors += st.nat_errors;
			}
			retry_at = st.kernel_errors ? time_msec() + 2000 : LLONG_MAX;
			/* SB writes wait for the next open transaction. */
			pending = !txn;
			if (txn) {
				const struct sbrec_chassis_private *cp =
					chassis_private_find(loop.idl,
							     cfg.system_id);

				up_run(loop.idl, self);
				/* The kernel now holds what this snapshot says. */
				g = sbrec_sb_global_first(loop.idl);
				/*
				 * With ACLs read from NB, the kernel holds nb_cfg N
				 * only once NB's snapshot has reached N too: the two
				 * databases come by two connections.
				 */
				if (g && nb_idl) {
					const struct nbrec_nb_global *ng =
						nbrec_nb_global_first(nb_idl);

					if (!ng || ng->nb_cfg < g->nb_cfg)
						g = NULL;
				}
				if (g && cp && cp->nb_cfg != g->nb_cfg) {
					sbrec_chassis_private_set_nb_cfg(cp, g->nb_cfg);
					sbrec_chassis_private_set_nb_cfg_timestamp(
						cp, time_wall_msec());
				}
				if (g) {
					st.nb_cfg = g->nb_cfg;
					st.nb_cfg_set = true;
				}
			}
			dirty = false;
		}

		if (time_msec() >= learn_at) {
			/* Without a transaction now, at the next poll. */
			if (txn && ovsdb_idl_has_ever_connected(loop.idl))
				mac_bindings_run(loop.idl, txn);
			learn_at = time_msec() + MAC_BINDING_POLL_MS;
		}
		ovsdb_idl_loop_commit_and_wait(&loop);
		if (nb_idl)
			ovsdb_idl_wait(nb_idl);
		unixctl_server_wait(unixctl);
		poll_timer_wait_until(learn_at);
		poll_fd_wait(links_fd(links), POLLIN);
		poll_fd_wait(sig_pipe[0], POLLIN);
		if (retry_at != LLONG_MAX)
			poll_timer_wait_until(retry_at);
		if (!exiting)
			poll_block();
	}

	if (cfg.keep_chassis || exit_keep)
		VLOG_INFO("exiting, chassis %s kept", cfg.system_id);
	else
		unregister(&loop);
	unixctl_server_destroy(unixctl);
	ovsdb_idl_loop_destroy(&loop);
	if (nb_idl)
		ovsdb_idl_destroy(nb_idl);
	kernel_close(kern);
	links_close(links);
	service_stop();
	return 0;
}
