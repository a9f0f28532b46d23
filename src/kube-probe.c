/*
 * The cluster family's probe Pod.  Checks run from the hosts over SSH do
 * not see the pod network, where W&B runs: NetworkPolicies, an egress
 * firewall or a proxy that re-signs TLS are only seen from a pod.  So a
 * short-lived Pod in the target namespace, from the bundle's alpine/k8s
 * in an air gap (with the pull Secret the render writes), tests:
 *
 *   cluster.egress     TLS to deploy.wandb.ai and charts.wandb.ai, for a
 *                      connected install: the operator fetches its spec
 *                      from deploy.wandb.ai/api/v1/operator/channel and
 *                      stops without it ("Failed to get spec from
 *                      deployer", wandb/operator #20);
 *   cluster.mysql      TCP to mysql.host:mysql.port;
 *   cluster.mysql.tls  who issued MySQL's certificate (when it offers TLS);
 *   cluster.bucket     TCP to the bucket endpoint;
 *   cluster.bucket.tls who issued its certificate, against the pods'
 *                      public CAs and what this machine is shown.
 *
 * A certificate no public CA vouches for, or another issuer than this
 * machine sees, is a private CA or an intercepting proxy: W&B's pods then
 * need the CA in both charts' customCACerts, or in a ConfigMap whose keys
 * end in .crt (the controller could not reach deploy.wandb.ai through an
 * SSL interceptor: terraform-aws-wandb #260; parquet lacked the custom CA
 * support the app had: helm-charts #250).
 *
 * The Pod runs a Python script (alpine/k8s carries python3 for awscli)
 * that prints one JSON object a line and {"test": "end"}; it is read with
 * `kubectl logs`, and the Pod is deleted afterwards, also when anything
 * failed or the run was cancelled.  Nothing secret is in it: host names
 * and ports only; the pull Secret goes on kubectl's stdin.
 */
#include "config.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "answers-resolve.h"
#include "bundle.h"
#include "i18n.h"
#include "kube.h"
#include "log.h"
#include "oci.h"
#include "presign.h"
#include "render.h"
#include "storage-url.h"
#include "util.h"
#include "xmalloc.h"

/* alpine/k8s, which operator-wandb's app-rename hooks run (so every
 * bundle of chart 0.43.8 carries it), at the tag chart 0.43.8 names. */
#define PROBE_REPOSITORY	"alpine/k8s"
#define PROBE_TAG		"1.31.12"
/* How long the Pod may take to be pulled, scheduled and finish; then it
 * ends itself (activeDeadlineSeconds) should nobody delete it. */
#define PROBE_WAIT_S		180
#define PROBE_DEADLINE_S	(PROBE_WAIT_S + 60)
#define PROBE_POLL_MS		2000
#define PROBE_CMD_MS		60000
/* W&B's endpoints that a connected install's operator must reach. */
static const char *const egress_hosts[] = { "deploy.wandb.ai",
	"charts.wandb.ai", NULL };

/*
 * The Pod's script.  Each test of argv[1] (a JSON list) prints one line:
 * {"test": "tcp"|"tls", "host", "port", "ok", and for tls "verified"
 * (against the image's public CAs and the name), "issuer", "issuer_cn",
 * "offered": false (MySQL offers no TLS), "error"}.  A certificate that
 * does not verify is fetched again unverified for its issuer, read with
 * CPython's own certificate decoder.  MySQL's TLS starts inside its
 * protocol: after the server's greeting (capability CLIENT_SSL, 0x800)
 * the client sends an SSLRequest packet, then the handshake.
 */
static const char probe_script[] =
	"import json, socket, ssl, struct, sys, tempfile\n"
	"T = 8\n"
	"SHORT = {'commonName': 'CN', 'organizationName': 'O',\n"
	"         'countryName': 'C', 'organizationalUnitName': 'OU',\n"
	"         'localityName': 'L', 'stateOrProvinceName': 'ST'}\n"
	"def dn(name, r):\n"
	"    kv = [(SHORT.get(k, k), v) for rdn in name for (k, v) in rdn]\n"
	"    r['issuer'] = ', '.join('%s=%s' % p for p in kv)\n"
	"    r['issuer_cn'] = ([v for k, v in kv if k == 'CN'] or [''])[0]\n"
	"def decode(der):\n"
	"    with tempfile.NamedTemporaryFile('w', suffix='.pem') as f:\n"
	"        f.write(ssl.DER_cert_to_PEM_cert(der))\n"
	"        f.flush()\n"
	"        return ssl._ssl._test_decode_cert(f.name)\n"
	"def recvn(s, n):\n"
	"    b = b''\n"
	"    while len(b) < n:\n"
	"        c = s.recv(n - len(b))\n"
	"        if not c:\n"
	"            raise OSError('the server closed the connection')\n"
	"        b += c\n"
	"    return b\n"
	"def mysql_tls(s):\n"
	"    h = recvn(s, 4)\n"
	"    p = recvn(s, h[0] | h[1] << 8 | h[2] << 16)\n"
	"    if p[:1] == b'\\xff':\n"
	"        raise OSError(p[3:].decode('utf-8', 'replace').lstrip('#'))\n"
	"    i = p.index(b'\\0', 1) + 14\n"
	"    if not struct.unpack_from('<H', p, i)[0] & 0x800:\n"
	"        return False\n"
	"    b = struct.pack('<IIB23x', 0x800 | 0x200 | 0x8000 | 1, 1 << 24, 33)\n"
	"    s.sendall(struct.pack('<I', len(b))[:3] + b'\\x01' + b)\n"
	"    return True\n"
	"def tcp(t, r):\n"
	"    socket.create_connection((t['host'], t['port']), T).close()\n"
	"    r['ok'] = True\n"
	"def tls(t, r):\n"
	"    for verify in (True, False):\n"
	"        ctx = ssl.create_default_context()\n"
	"        if not verify:\n"
	"            ctx.check_hostname = False\n"
	"            ctx.verify_mode = ssl.CERT_NONE\n"
	"        try:\n"
	"            with socket.create_connection((t['host'], t['port']), T) as s:\n"
	"                if t.get('starttls') == 'mysql' and not mysql_tls(s):\n"
	"                    r.update(ok=False, offered=False)\n"
	"                    return\n"
	"                with ctx.wrap_socket(s, server_hostname=t['host']) as w:\n"
	"                    der = w.getpeercert(True)\n"
	"                    c = w.getpeercert() if verify else decode(der)\n"
	"                    dn(c.get('issuer', ()), r)\n"
	"                    r.update(ok=True, verified=verify)\n"
	"                    return\n"
	"        except ssl.SSLCertVerificationError as e:\n"
	"            r['error'] = e.verify_message or str(e)\n"
	"for t in json.loads(sys.argv[1]):\n"
	"    r = dict(test=t['test'], host=t['host'], port=t['port'], ok=False)\n"
	"    try:\n"
	"        {'tcp': tcp, 'tls': tls}[t['test']](t, r)\n"
	"    except Exception as e:\n"
	"        r['error'] = str(e) or type(e).__name__\n"
	"    print(json.dumps(r, sort_keys=True), flush=True)\n"
	"print(json.dumps({'test': 'end'}), flush=True)\n";

/* Per kind: the check id, the test the Pod runs, MySQL's STARTTLS. */
static const struct {
	const char *id;
	const char *test;
	const char *starttls;
} kinds[] = {
	[KP_EGRESS] = { "cluster.egress", "tls", NULL },
	[KP_MYSQL] = { "cluster.mysql", "tcp", NULL },
	[KP_MYSQL_TLS] = { "cluster.mysql.tls", "tls", "mysql" },
	[KP_BUCKET] = { "cluster.bucket", "tcp", NULL },
	[KP_BUCKET_TLS] = { "cluster.bucket.tls", "tls", NULL },
};

static const char *
ns_of(const struct answers *a)
{
	return answers_get(a, "kubernetes.namespace");
}

/* The hint for a certificate W&B's pods will not trust. */
static const char *
ca_hint(void)
{
	return _("put the CA that issued it (PEM) in both charts: the "
	    "operator chart's customCACerts and operator-wandb's "
	    "global.customCACerts, or a ConfigMap named in caCertsConfigMap "
	    "whose keys end in .crt (terraform-aws-wandb #260, helm-charts "
	    "#250)");
}

void
kube_probe_targets_free(struct kube_probe_target *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].host);
		free(v[i].host_issuer_cn);
	}
	free(v);
}

static void
add_target(struct kube_probe_target **v, size_t *n, enum kube_probe_kind k,
    const char *host, int port)
{
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	memset(&(*v)[*n], 0, sizeof **v);
	(*v)[*n].kind = k;
	(*v)[*n].host = xstrdup(host);
	(*v)[*n].port = port;
	(*n)++;
}

struct kube_probe_target *
kube_probe_targets(const struct answers *a, size_t *np, char **cause)
{
	struct kube_probe_target *v = NULL;
	struct storage_conf c;
	const char *provider = answers_get(a, "storage.provider");
	char *host;
	size_t i, n = 0;
	int port;

	if (!answers_get_bool(a, "airgap.enabled"))
		for (i = 0; egress_hosts[i] != NULL; i++)
			add_target(&v, &n, KP_EGRESS, egress_hosts[i], 443);
	if (*answers_get(a, "mysql.host") != '\0') {
		port = (int)answers_get_int(a, "mysql.port");
		add_target(&v, &n, KP_MYSQL, answers_get(a, "mysql.host"),
		    port);
		add_target(&v, &n, KP_MYSQL_TLS, answers_get(a, "mysql.host"),
		    port);
	}
	if (strcmp(provider, "gcs") == 0) {
		add_target(&v, &n, KP_BUCKET, "storage.googleapis.com", 443);
		add_target(&v, &n, KP_BUCKET_TLS, "storage.googleapis.com",
		    443);
	} else if (strcmp(provider, "s3") == 0) {
		if (storage_conf_resolve(a, &c, cause) != 0) {
			kube_probe_targets_free(v, n);
			return NULL;
		}
		/* Amazon S3's regional host when there is no endpoint. */
		host = c.host != NULL && *c.host != '\0' ? xstrdup(c.host) :
		    s3_hostport(&c);
		port = c.port != 0 ? c.port : c.tls ? 443 : 80;
		add_target(&v, &n, KP_BUCKET, host, port);
		if (c.tls)
			add_target(&v, &n, KP_BUCKET_TLS, host, port);
		free(host);
		storage_conf_free(&c);
	}
	/* Azure: the account's endpoint is not in the answers. */
	*np = n;
	return v;
}

char *
kube_probe_image(const struct answers *a)
{
	struct oci_ref ref;
	char *file, *found, *mirror, *out, *cause = NULL;

	if (render_registry(a) == NULL)
		return xstrdup("docker.io/" PROBE_REPOSITORY ":" PROBE_TAG);
	/* The bundle's own alpine/k8s, where bundle push put it. */
	file = answers_get_path(a, "airgap.bundle");
	found = bundle_image_ref(file, PROBE_REPOSITORY);
	free(file);
	if (found == NULL || oci_ref_parse(found, &ref, &cause) != 0) {
		free(cause);
		free(found);
		found = xstrdup(PROBE_REPOSITORY ":" PROBE_TAG);
		if (oci_ref_parse(found, &ref, &cause) != 0)
			abort();
	}
	mirror = render_mirror(a, found);
	out = ref.digest != NULL ? xprintf("%s@%s", mirror, ref.digest) :
	    xprintf("%s:%s", mirror, ref.tag);
	oci_ref_free(&ref);
	free(mirror);
	free(found);
	return out;
}

/* The Pod's argv[1]: what to test. */
static char *
tests_json(const struct kube_probe_target *v, size_t n)
{
	json_t *arr = json_array(), *t;
	char *out;
	size_t i;

	for (i = 0; i < n; i++) {
		t = json_pack("{s:s, s:s, s:i}", "test", kinds[v[i].kind].test,
		    "host", v[i].host, "port", v[i].port);
		if (kinds[v[i].kind].starttls != NULL)
			json_object_set_new(t, "starttls",
			    json_string(kinds[v[i].kind].starttls));
		json_array_append_new(arr, t);
	}
	out = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	if (out == NULL)
		abort();
	return out;
}

/* The Pod: restricted (Pod Security Standards), no service account token,
 * a writable /tmp only, small requests; as the render's pods on
 * OpenShift (UID 100000, GID 0). */
static struct ynode *
pod_doc(const struct answers *a, const char *image, const char *tests,
    int pull)
{
	int openshift = answers_get_bool(a, "kubernetes.openshift");
	struct ynode *pod, *md, *spec, *sc, *c, *cmd, *r, *csc, *m;

	pod = ynode_new(Y_MAP, NULL, NULL);
	y_str(pod, "apiVersion", "v1");
	y_str(pod, "kind", "Pod");
	md = y_map(pod, "metadata");
	y_str(md, "name", KUBE_PROBE_POD);
	y_str(md, "namespace", ns_of(a));
	m = y_map(md, "labels");
	y_str(m, "app.kubernetes.io/name", KUBE_PROBE_POD);
	y_str(m, "app.kubernetes.io/managed-by", "wbinstall");
	spec = y_map(pod, "spec");
	y_str(spec, "restartPolicy", "Never");
	y_int(spec, "activeDeadlineSeconds", PROBE_DEADLINE_S);
	y_int(spec, "terminationGracePeriodSeconds", 0);
	y_bool(spec, "automountServiceAccountToken", 0);
	if (pull)
		y_str(y_map(y_seq(spec, "imagePullSecrets"), NULL), "name",
		    RENDER_REGISTRY_SECRET);
	sc = y_map(spec, "securityContext");
	y_bool(sc, "runAsNonRoot", 1);
	y_int(sc, "runAsUser", openshift ? RENDER_OPENSHIFT_UID : 65534);
	y_int(sc, "runAsGroup", openshift ? RENDER_OPENSHIFT_GID : 65534);
	y_str(y_map(sc, "seccompProfile"), "type", "RuntimeDefault");
	c = y_map(y_seq(spec, "containers"), NULL);
	y_str(c, "name", "probe");
	y_str(c, "image", image);
	y_str(c, "imagePullPolicy", "IfNotPresent");
	cmd = y_seq(c, "command");
	y_str(cmd, NULL, "python3");
	y_str(cmd, NULL, "-c");
	y_str(cmd, NULL, probe_script);
	y_str(cmd, NULL, tests);
	r = y_map(c, "resources");
	m = y_map(r, "requests");
	y_str(m, "cpu", "50m");
	y_str(m, "memory", "64Mi");
	m = y_map(r, "limits");
	y_str(m, "cpu", "500m");
	y_str(m, "memory", "256Mi");
	csc = y_map(c, "securityContext");
	y_bool(csc, "allowPrivilegeEscalation", 0);
	y_bool(csc, "readOnlyRootFilesystem", 1);
	y_str(y_seq(y_map(csc, "capabilities"), "drop"), NULL, "ALL");
	m = y_map(y_seq(c, "volumeMounts"), NULL);
	y_str(m, "name", "tmp");
	y_str(m, "mountPath", "/tmp");
	m = y_map(y_seq(spec, "volumes"), NULL);
	y_str(m, "name", "tmp");
	y_map(m, "emptyDir");
	return pod;
}

char *
kube_probe_manifest(const struct answers *a, const char *image,
    const struct kube_probe_target *v, size_t n, int shown, size_t *lenp,
    char **cause)
{
	struct ynode *docs[3], *secret;
	char *tests, *out;
	size_t nd = 0, i;

	secret = render_pull_secret(a, shown, cause);
	if (secret == NULL && *cause != NULL)
		return NULL;
	/* The namespace and the pull Secret are the install's own: it
	 * applies the same ones. */
	docs[nd] = ynode_new(Y_MAP, NULL, NULL);
	y_str(docs[nd], "apiVersion", "v1");
	y_str(docs[nd], "kind", "Namespace");
	y_str(y_map(docs[nd++], "metadata"), "name", ns_of(a));
	if (secret != NULL)
		docs[nd++] = secret;
	tests = tests_json(v, n);
	docs[nd++] = pod_doc(a, image, tests, secret != NULL);
	out = ynode_emit(docs, nd, lenp);
	for (i = 0; i < nd; i++)
		ynode_free(docs[i]);
	free(tests);
	return out;
}

/* The CN of the issuer of HOST:PORT's certificate, as this machine is
 * shown it (not verified), or NULL. */
static char *
host_issuer_cn(const char *host, int port)
{
	struct curl_certinfo *ci = NULL;
	struct curl_slist *s;
	CURL *h = curl_easy_init();
	char *url, *cn = NULL, buf[256];
	X509 *x;
	BIO *bio;

	url = strchr(host, ':') != NULL ? xprintf("https://[%s]:%d/", host,
	    port) : xprintf("https://%s:%d/", host, port);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	curl_easy_setopt(h, CURLOPT_CERTINFO, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	if (curl_easy_perform(h) == CURLE_OK &&
	    curl_easy_getinfo(h, CURLINFO_CERTINFO, &ci) == CURLE_OK &&
	    ci != NULL && ci->num_of_certs > 0)
		for (s = ci->certinfo[0]; s != NULL && cn == NULL;
		    s = s->next) {
			if (strncmp(s->data, "Cert:", 5) != 0)
				continue;
			bio = BIO_new_mem_buf(s->data + 5, -1);
			x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
			BIO_free(bio);
			if (x != NULL && X509_NAME_get_text_by_NID(
			    X509_get_issuer_name(x), NID_commonName, buf,
			    sizeof buf) >= 0)
				cn = xstrdup(buf);
			X509_free(x);
		}
	curl_easy_cleanup(h);
	free(url);
	log_info("probe: %s:%d is issued by %s, seen from here", host, port,
	    cn != NULL ? cn : "?");
	return cn;
}

static const struct kube_probe_line *
find_line(const struct kube_probe_line *v, size_t n, const char *test,
    const char *host, int port)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].test, test) == 0 &&
		    strcmp(v[i].host, host) == 0 && v[i].port == port)
			return &v[i];
	return NULL;
}

static void
judge_tcp(const struct kube_probe_target *t, const char *target,
    const struct kube_probe_line *r, struct check_list *l)
{
	const char *id = kinds[t->kind].id;
	int mysql = t->kind == KP_MYSQL;

	if (r->ok)
		checks_add(l, target, id, CHECK_PASS, _("connected"),
		    _("TCP from the pods"), NULL, mysql ? _("the pods reach "
		    "MySQL at %s") : _("the pods reach the bucket endpoint "
		    "%s"), target);
	else
		checks_add(l, target, id, CHECK_FAIL, r->error,
		    _("TCP from the pods"), mysql ? _("let the pods reach "
		    "MySQL: a NetworkPolicy of the namespace, the database's "
		    "firewall or security group (it must admit the nodes' or "
		    "pods' addresses), or a name that resolves on this machine "
		    "but not in the cluster; `wbinstall preflight --checks "
		    "mysql` checks it from here") : _("let the pods reach the "
		    "bucket endpoint: a NetworkPolicy of the namespace, the "
		    "endpoint's firewall, or a name that does not resolve in "
		    "the cluster; `wbinstall preflight --checks storage` "
		    "checks it from here"), mysql ? _("the pods cannot reach "
		    "MySQL at %s: %s") : _("the pods cannot reach the bucket "
		    "endpoint %s: %s"), target, r->error);
}

/* Who issued it, as the Pod says, or "?". */
static const char *
issuer_of(const struct kube_probe_line *r)
{
	return *r->issuer != '\0' ? r->issuer : *r->issuer_cn != '\0' ?
	    r->issuer_cn : "?";
}

/* " (ERROR)" when the Pod said why the chain does not verify; new. */
static char *
why_not(const struct kube_probe_line *r)
{
	return *r->error != '\0' ? xprintf(" (%s)", r->error) : xstrdup("");
}

static void
judge_egress(const char *target, const struct kube_probe_line *r,
    struct check_list *l)
{
	char *why = why_not(r);

	if (r->ok && r->verified)
		checks_add(l, target, "cluster.egress", CHECK_PASS,
		    r->issuer_cn, _("TLS from the pods, a public CA"), NULL,
		    _("the pods reach %s"), target);
	else if (r->ok)
		checks_add(l, target, "cluster.egress", CHECK_FAIL,
		    issuer_of(r), _("TLS from the pods, a public CA"),
		    ca_hint(), _("the pods reach %s through a proxy that "
		    "re-signs TLS (issuer %s)%s: the operator cannot fetch its "
		    "spec and charts there until it trusts that CA"), target,
		    issuer_of(r), why);
	else
		checks_add(l, target, "cluster.egress", CHECK_FAIL, r->error,
		    _("TLS from the pods, a public CA"), _("the operator "
		    "fetches its spec from deploy.wandb.ai and its charts from "
		    "charts.wandb.ai, and does nothing without them (\"Failed "
		    "to get spec from deployer\", wandb/operator #20): let the "
		    "namespace reach both on port 443, or install from a "
		    "bundle (airgap.enabled)"), _("the pods cannot reach %s: "
		    "%s"), target, r->error);
	free(why);
}

static void
judge_tls(const struct kube_probe_target *t, const char *target,
    const struct kube_probe_line *r, struct check_list *l)
{
	const char *id = kinds[t->kind].id, *cn = r->issuer_cn;
	const char *here = t->host_issuer_cn;
	int mysql = t->kind == KP_MYSQL_TLS;
	int other = here != NULL && strcmp(here, cn) != 0;
	char *why;

	if (!r->ok && !r->offered) {
		checks_add(l, target, id, CHECK_PASS, _("no TLS"), NULL, NULL,
		    _("MySQL offers the pods no TLS: chart 0.43.8 then "
		    "connects in the clear (tls=preferred)"));
		return;
	}
	if (!r->ok) {
		checks_add(l, target, id, CHECK_FAIL, r->error,
		    _("a TLS handshake"), mysql ? _("look at MySQL's TLS "
		    "settings (`wbinstall preflight --checks mysql`)") :
		    _("look at the endpoint's TLS settings (`wbinstall "
		    "preflight --checks storage`)"), _("the TLS handshake "
		    "with %s failed from the pods: %s"), target, r->error);
		return;
	}
	why = why_not(r);
	if (r->verified && !other)
		checks_add(l, target, id, CHECK_PASS, cn, _("a public CA"),
		    NULL, _("the pods are shown a certificate that a public CA "
		    "issued (%s)"), issuer_of(r));
	else if (r->verified)
		checks_add(l, target, id, CHECK_WARN, cn, here, ca_hint(),
		    _("the pods are shown a certificate from %s, this machine "
		    "one from %s: a proxy on one of the paths re-signs TLS, or "
		    "the endpoint serves other certificates"), cn, here);
	else if (mysql)
		/* helm-charts #369 and #486: the app's MySQL URL says
		 * tls=preferred and takes no CA, so W&B connects anyway. */
		checks_add(l, target, id, CHECK_WARN, cn, _("a public CA"),
		    _("if that is not the database's own CA, a proxy on the pod "
		    "network re-signs its TLS: `wbinstall preflight --checks "
		    "mysql` shows the certificate this machine is shown"),
		    _("MySQL's certificate (issuer %s) is not from a public "
		    "CA%s; chart 0.43.8 connects with tls=preferred and checks "
		    "no CA, so W&B connects anyway"), issuer_of(r), why);
	else if (other)
		checks_add(l, target, id, CHECK_FAIL, cn, here, ca_hint(),
		    _("the pods are shown a certificate from %s%s, this "
		    "machine one from %s: a proxy on the pod network "
		    "intercepts TLS, and W&B's pods will not trust it"), cn,
		    why, here);
	else if (here != NULL)
		checks_add(l, target, id, CHECK_FAIL, cn, _("a public CA"),
		    ca_hint(), _("the bucket's certificate (issuer %s) is from "
		    "a private CA, which this machine is shown too%s: W&B's "
		    "pods will refuse it"), issuer_of(r), why);
	else
		checks_add(l, target, id, CHECK_FAIL, cn, _("a public CA"),
		    ca_hint(), _("the bucket's certificate (issuer %s) is not "
		    "from a CA that the pods trust%s: a private CA, or a proxy "
		    "that re-signs TLS; W&B's pods will refuse it"),
		    issuer_of(r), why);
	free(why);
}

void
kube_probe_judge(const struct kube_probe_target *v, size_t n,
    const struct kube_probe_line *lines, size_t nlines, int complete,
    struct check_list *l)
{
	const struct kube_probe_line *r, *tcp;
	const struct kube_probe_target *t;
	char *target;
	size_t i;

	for (i = 0; i < n; i++) {
		t = &v[i];
		target = strchr(t->host, ':') != NULL ? xprintf("[%s]:%d",
		    t->host, t->port) : xprintf("%s:%d", t->host, t->port);
		r = find_line(lines, nlines, kinds[t->kind].test, t->host,
		    t->port);
		tcp = find_line(lines, nlines, "tcp", t->host, t->port);
		if (r == NULL)
			checks_add(l, target, kinds[t->kind].id, CHECK_FAIL,
			    NULL, NULL, _("kubectl logs wbinstall-probe shows "
			    "what it printed"), complete ? _("the probe Pod "
			    "did not report on %s") : _("the probe Pod stopped "
			    "before it tested %s"), target);
		else if (t->kind == KP_MYSQL || t->kind == KP_BUCKET)
			judge_tcp(t, target, r, l);
		else if (t->kind == KP_EGRESS)
			judge_egress(target, r, l);
		else if (tcp != NULL && !tcp->ok)
			checks_add(l, target, kinds[t->kind].id, CHECK_SKIP,
			    NULL, NULL, NULL, "%s", _("not run: no TCP "
			    "connection"));
		else
			judge_tls(t, target, r, l);
		free(target);
	}
}

/* Every target's check skipped, for one reason. */
static void
skip_targets(const struct kube_probe_target *v, size_t n, const char *why,
    struct check_list *l)
{
	size_t i;

	for (i = 0; i < n; i++)
		checks_add(l, v[i].host, kinds[v[i].kind].id, CHECK_SKIP,
		    NULL, NULL, NULL, "%s", why);
}

/* kubectl VERB... pod wbinstall-probe --namespace NS [EXTRA...]: at most
 * PROBE_ARGV entries, the NULL included (the longest, a delete of a
 * leftover Pod, takes 9). */
#define PROBE_ARGV 12

static void
probe_argv(const char *argv[PROBE_ARGV], const char *ns,
    const char *const *verb, const char *const *extra)
{
	size_t n = 0;

	argv[n++] = "kubectl";
	for (; *verb != NULL; verb++)
		argv[n++] = *verb;
	argv[n++] = KUBE_PROBE_POD;
	argv[n++] = "--namespace";
	argv[n++] = ns;
	for (; extra != NULL && *extra != NULL; extra++)
		argv[n++] = *extra;
	assert(n < PROBE_ARGV);
	argv[n] = NULL;
}

static const char *const v_delete[] = { "delete", "pod", NULL };
static const char *const v_get[] = { "get", "pod", NULL };
static const char *const v_logs[] = { "logs", NULL };
static const char *const x_leftover[] = { "--ignore-not-found",
	"--wait=true", NULL };
static const char *const x_delete[] = { "--ignore-not-found", "--wait=false",
	NULL };
static const char *const x_json[] = { "-o", "json", NULL };
static const char *const apply_argv[] = { "kubectl", "apply", "-f", "-",
	NULL };

/* Waiting reasons after which the Pod will not start by itself. */
static const char *const hopeless[] = { "ErrImagePull", "ImagePullBackOff",
	"InvalidImageName", "CreateContainerConfigError",
	"CreateContainerError", NULL };

static int
hopeless_reason(const char *reason)
{
	size_t i;

	for (i = 0; hopeless[i] != NULL; i++)
		if (strcmp(reason, hopeless[i]) == 0)
			return 1;
	return 0;
}

static int
cancelled(atomic_int *cancel)
{
	return cancel != NULL && *cancel;
}

/* Sleep MS, waking early on CANCEL. */
static void
nap(int ms, atomic_int *cancel)
{
	struct timespec ts = { 0, 100 * 1000000L };

	for (; ms > 0 && !cancelled(cancel); ms -= 100)
		nanosleep(&ts, NULL);
}

/*
 * Wait until the Pod ends; its state in *pod.  0: it ended (Succeeded or
 * Failed), -1 with *cause: it will not (an image that cannot be pulled,
 * the time is up, kubectl fails), -2: cancelled.
 */
static int
probe_wait(struct runner *r, const char *ns, atomic_int *cancel,
    struct kube_pod **pod, char **cause)
{
	const char *argv[PROBE_ARGV];
	struct kube_pod *v = NULL;
	time_t start = time(NULL);
	char *out;
	size_t n;
	int st;

	probe_argv(argv, ns, v_get, x_json);
	for (;;) {
		if (cancelled(cancel))
			return -2;
		if ((out = kube_run(r, argv, NULL, 0, NULL, PROBE_CMD_MS, &st,
		    cause)) == NULL)
			return cancelled(cancel) ? -2 : -1;
		if (cancelled(cancel)) {
			free(out);
			return -2;
		}
		if (*pod != NULL)
			kube_pods_free(*pod, 1);
		*pod = NULL;
		if (kube_parse_pod_states(out, &v, &n, cause) != 0 || n != 1) {
			free(out);
			if (v != NULL)
				kube_pods_free(v, n);
			if (*cause == NULL)
				*cause = xstrdup(_("kubectl printed no pod"));
			return -1;
		}
		free(out);
		*pod = v;
		if (strcmp(v->phase, "Succeeded") == 0 ||
		    strcmp(v->phase, "Failed") == 0)
			return 0;
		if (hopeless_reason(v->reason)) {
			*cause = xprintf(_("its container cannot start: %s%s%s"),
			    v->reason, *v->message != '\0' ? ": " : "",
			    v->message);
			return -1;
		}
		if (time(NULL) - start >= PROBE_WAIT_S) {
			*cause = xprintf(_("it did not finish within %d s: %s%s"
			    "%s"), PROBE_WAIT_S, v->status, *v->message !=
			    '\0' ? ": " : "", v->message);
			return -1;
		}
		nap(PROBE_POLL_MS, cancel);
	}
}

/* The Pod's report: 0 and its lines, or -1 with *cause. */
static int
probe_read(struct runner *r, const char *ns, struct kube_probe_line **lines,
    size_t *nlines, int *complete, char **cause)
{
	const char *argv[PROBE_ARGV];
	char *out;
	int st, rc;

	probe_argv(argv, ns, v_logs, NULL);
	if ((out = kube_run(r, argv, NULL, 0, NULL, PROBE_CMD_MS, &st,
	    cause)) == NULL)
		return -1;
	rc = kube_parse_probe_report(out, lines, nlines, complete, cause);
	free(out);
	return rc;
}

/* What the Pod did, as cluster.probe: RC and CAUSE from probe_wait(),
 * READ (0: its report was read) and COMPLETE. */
static void
probe_check(const struct answers *a, const char *target, const char *image,
    const struct kube_pod *pod, int rc, const char *cause, int read,
    int complete, const char *read_cause, struct check_list *l)
{
	const char *ns = ns_of(a), *why;

	if (rc == -2)
		checks_add(l, target, "cluster.probe", CHECK_SKIP, NULL, NULL,
		    NULL, "%s", _("cancelled; the probe Pod is deleted"));
	else if (rc == -1)
		checks_add(l, target, "cluster.probe", CHECK_FAIL, pod != NULL ?
		    pod->status : NULL, _("the Pod runs and reports"),
		    render_registry(a) != NULL ? _("the Pod runs the bundle's "
		    "alpine/k8s from airgap.registry, with the pull Secret: "
		    "check that bundle push put it there (`wbinstall preflight "
		    "--checks registry`); kubectl describe pod wbinstall-probe "
		    "says more") : _("the Pod runs alpine/k8s from Docker Hub, "
		    "which the nodes must be able to pull; kubectl describe "
		    "pod wbinstall-probe says more"), _("the probe Pod (%s): "
		    "%s"), image, cause);
	else if (strcmp(pod->phase, "Succeeded") == 0 && read == 0 &&
	    complete)
		checks_add(l, target, "cluster.probe", CHECK_PASS, pod->phase,
		    _("the Pod runs and reports"), NULL, _("the probe Pod ran "
		    "in namespace %s (%s)"), ns, image);
	else {
		why = read != 0 ? read_cause : !complete ? _("its report stops "
		    "before the end") : NULL;
		checks_add(l, target, "cluster.probe", CHECK_FAIL, pod->status,
		    _("the Pod runs and reports"), _("kubectl logs "
		    "wbinstall-probe shows what it printed"), _("the probe Pod "
		    "(%s) ended %s%s%s"), image, pod->status, why != NULL ?
		    ": " : "", why != NULL ? why : "");
	}
}

void
kube_probe(struct runner *r, const struct answers *a, atomic_int *cancel,
    struct check_list *l)
{
	const char *ns = ns_of(a), *argv[PROBE_ARGV];
	struct kube_probe_target *v;
	struct kube_probe_line *lines = NULL;
	struct kube_pod *pod = NULL;
	char *cause = NULL, *read_cause = NULL, *manifest, *image, *out;
	char *target;
	size_t n = 0, nlines = 0, len, i;
	int st, rc, read = -1, complete = 0;

	target = xprintf("%s/%s", ns, KUBE_PROBE_POD);
	image = kube_probe_image(a);
	if ((v = kube_probe_targets(a, &n, &cause)) == NULL && cause != NULL) {
		checks_add(l, target, "cluster.probe", CHECK_FAIL, NULL, NULL,
		    NULL, _("cannot tell what to probe: %s"), cause);
		goto out;
	}
	if ((manifest = kube_probe_manifest(a, image, v, n, 0, &len,
	    &cause)) == NULL) {
		checks_add(l, target, "cluster.probe", CHECK_FAIL, NULL, NULL,
		    NULL, "%s", cause);
		skip_targets(v, n, _("not run: no probe Pod"), l);
		goto out;
	}
	/* What this machine is shown, before the Pod looks. */
	for (i = 0; i < n; i++)
		if (v[i].kind == KP_BUCKET_TLS)
			v[i].host_issuer_cn = host_issuer_cn(v[i].host,
			    v[i].port);

	/* A Pod of an earlier run that was killed goes first. */
	probe_argv(argv, ns, v_delete, x_leftover);
	free(kube_run(r, argv, NULL, 0, NULL, PROBE_CMD_MS, &st, &cause));
	free(cause);
	cause = NULL;
	out = kube_run(r, apply_argv, manifest, len, "probe Pod manifest",
	    PROBE_CMD_MS, &st, &cause);
	xfree_secret(manifest);
	if (out == NULL) {
		checks_add(l, target, "cluster.probe", CHECK_FAIL, NULL,
		    _("a Pod in the namespace"), _("the Pod must be admitted in "
		    "the namespace (Pod Security, quotas, admission webhooks); "
		    "`kubectl auth can-i create pods -n NAMESPACE`"),
		    _("kubectl apply of the probe Pod failed: %s"), cause);
		skip_targets(v, n, _("not run: no probe Pod"), l);
		goto delete;
	}
	free(out);
	rc = probe_wait(r, ns, cancel, &pod, &cause);
	/* Its report; when it is stuck running, what it printed so far. */
	if (rc == 0 || (rc == -1 && pod != NULL &&
	    strcmp(pod->status, "Running") == 0))
		read = probe_read(r, ns, &lines, &nlines, &complete,
		    &read_cause);
	probe_check(a, target, image, pod, rc, cause, read, complete,
	    read_cause, l);
	if (read == 0)
		kube_probe_judge(v, n, lines, nlines, complete, l);
	else
		skip_targets(v, n, rc == -2 ? _("not run: cancelled") :
		    _("not run: no report from the probe Pod"), l);
delete:
	free(cause);
	cause = NULL;
	probe_argv(argv, ns, v_delete, x_delete);
	if ((out = kube_run(r, argv, NULL, 0, NULL, PROBE_CMD_MS, &st,
	    &cause)) == NULL)
		checks_add(l, target, "cluster.probe.delete", CHECK_WARN, NULL,
		    NULL, _("kubectl delete pod wbinstall-probe -n NAMESPACE"),
		    _("the probe Pod could not be deleted: %s"), cause);
	free(out);
out:
	free(cause);
	free(read_cause);
	kube_probe_lines_free(lines, nlines);
	if (pod != NULL)
		kube_pods_free(pod, 1);
	kube_probe_targets_free(v, n);
	free(image);
	free(target);
}

void
kube_probe_describe(const struct answers *a, FILE *f,
    void (*print_cmd)(FILE *, const char *const *, const char *),
    void (*print_stdin)(FILE *, const char *, size_t))
{
	const char *ns = ns_of(a), *argv[PROBE_ARGV];
	struct kube_probe_target *v;
	char *image = kube_probe_image(a), *cause = NULL, *m = NULL;
	size_t n = 0, len;

	fprintf(f, _("      then, when the cluster answers, a probe Pod (%s) in "
	    "%s tests the pod network (egress, MySQL, the bucket, TLS "
	    "issuers) and is deleted:\n"), image, ns);
	probe_argv(argv, ns, v_delete, x_leftover);
	print_cmd(f, argv, NULL);
	print_cmd(f, apply_argv, _("namespace, pull Secret, probe Pod"));
	if ((v = kube_probe_targets(a, &n, &cause)) != NULL || cause == NULL)
		m = kube_probe_manifest(a, image, v, n, 1, &len, &cause);
	if (m != NULL)
		print_stdin(f, m, len);
	else
		fprintf(f, "      %s\n", cause);
	probe_argv(argv, ns, v_get, x_json);
	print_cmd(f, argv, NULL);
	probe_argv(argv, ns, v_logs, NULL);
	print_cmd(f, argv, NULL);
	probe_argv(argv, ns, v_delete, x_delete);
	print_cmd(f, argv, NULL);
	free(m);
	free(cause);
	kube_probe_targets_free(v, n);
	free(image);
}
