"""Assertions on what the real charts render from wbinstall's values.

python3 manifests.py check EXPECT.json CHART.yaml SECRETS.yaml [OPERATOR.yaml]
    Reads `helm template` output of operator-wandb (and of the operator
    chart), the Secrets wbinstall renders, and what the answers said
    (EXPECT.json); prints one line per finding, "ok NAME" or "not ok NAME:
    why", and exits 1 when one failed.
python3 manifests.py images CHART.yaml...
    Prints every image the workloads of the manifests run (helm test Pods
    left out: the operator never runs `helm test`), one a line, sorted.

The kubelet's $(VAR) expansion is done here as the kubelet does it: envFrom
first, then env in order, a reference to a variable defined before it is
replaced, "$$" is a "$", anything else stays as it is.  Secret and ConfigMap
values come from the Secrets wbinstall renders and the chart's ConfigMaps.
"""

import base64
import json
import re
import sys
import urllib.parse

import yaml

WORKLOADS = ("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob",
             "ReplicaSet", "Pod")
# The W&B server images that deployment.wandb_version pins.
SERVER_IMAGES = ("wandb/local", "wandb/megabinary", "wandb/console",
                 "wandb/weave-python", "wandb/weave-trace",
                 "wandb/frontend-nginx")


def load(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if isinstance(d, dict)]


def is_test_hook(doc):
    ann = (doc.get("metadata") or {}).get("annotations") or {}
    return "test" in [h.strip() for h in ann.get("helm.sh/hook", "").split(",")]


def pod_specs(docs):
    """(kind/name, hook, pod spec) of every workload but helm test Pods."""
    for d in docs:
        kind = d.get("kind")
        if kind not in WORKLOADS or is_test_hook(d):
            continue
        spec = d.get("spec") or {}
        if kind == "CronJob":
            spec = spec["jobTemplate"]["spec"]
        if kind != "Pod":
            spec = spec["template"]["spec"]
        ann = (d.get("metadata") or {}).get("annotations") or {}
        yield ("%s/%s" % (kind, d["metadata"]["name"]),
               ann.get("helm.sh/hook", ""), spec)


def containers(spec):
    return (spec.get("initContainers") or []) + (spec.get("containers") or [])


def images(docs):
    return sorted({c["image"] for _, _, s in pod_specs(docs)
                   for c in containers(s)})


def split_image(image):
    """(repository, tag) of NAME[:TAG][@DIGEST]."""
    name = image.split("@", 1)[0]
    slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > slash:
        return name[:colon], name[colon + 1:]
    return name, "latest"


def expand(value, env):
    """The kubelet's $(VAR) expansion of one value."""
    out, i = [], 0
    while i < len(value):
        if value.startswith("$$", i):
            out.append("$")
            i += 2
            continue
        m = re.match(r"\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)", value[i:])
        if m:
            name = m.group(1)
            out.append(env[name] if name in env else m.group(0))
            i += m.end()
            continue
        out.append(value[i])
        i += 1
    return "".join(out)


class Objects:
    """Secrets (ours) and ConfigMaps (the chart's), by name."""

    def __init__(self, secrets, docs):
        self.secrets, self.configmaps = {}, {}
        for s in secrets:
            data = dict(s.get("stringData") or {})
            self.secrets[s["metadata"]["name"]] = data
        for d in docs:
            if d.get("kind") == "ConfigMap":
                self.configmaps[d["metadata"]["name"]] = {
                    k: str(v) for k, v in (d.get("data") or {}).items()}
            if d.get("kind") == "Secret":
                data = {k: base64.b64decode(v or "").decode()
                        for k, v in (d.get("data") or {}).items()}
                data.update(d.get("stringData") or {})
                self.secrets.setdefault(d["metadata"]["name"], data)

    def env(self, c):
        """The container's environment after the kubelet's expansion."""
        env = {}
        for ef in c.get("envFrom") or []:
            if "configMapRef" in ef:
                env.update(self.configmaps.get(ef["configMapRef"]["name"],
                                               {}))
            elif "secretRef" in ef:
                env.update(self.secrets.get(ef["secretRef"]["name"], {}))
        for e in c.get("env") or []:
            if "value" in e:
                env[e["name"]] = expand(str(e["value"]), env)
            elif "valueFrom" in e:
                vf = e["valueFrom"]
                ref = vf.get("secretKeyRef") or vf.get("configMapKeyRef")
                if ref is None:
                    continue
                src = self.secrets if "secretKeyRef" in vf else \
                    self.configmaps
                v = src.get(ref["name"], {}).get(ref["key"])
                if v is not None:
                    env[e["name"]] = v
        return env


class Report:
    def __init__(self):
        self.failed = 0

    def check(self, name, problems):
        problems = [p for p in problems if p]
        if problems:
            self.failed += 1
            print("not ok %s: %s" % (name, "; ".join(problems[:8])))
        else:
            print("ok %s" % name)


def effective(spec, c, key):
    v = (c.get("securityContext") or {}).get(key)
    if v is None:
        v = (spec.get("securityContext") or {}).get(key)
    return v


def check_pods(r, x, docs, label):
    pods = list(pod_specs(docs))
    reg = x.get("registry")
    r.check("%s: workloads rendered" % label,
            [] if pods else ["no workload at all"])
    bad = []
    if reg:
        for name, _, s in pods:
            for c in containers(s):
                if not c["image"].startswith(reg + "/"):
                    bad.append("%s %s: %s" % (name, c["name"], c["image"]))
        r.check("%s: every image (hooks included) is under %s"
                % (label, reg), bad)
    if x.get("pull_secret"):
        bad = ["%s has %s" % (name, s.get("imagePullSecrets"))
               for name, _, s in pods
               if x["pull_secret"] not in
               [p.get("name") for p in s.get("imagePullSecrets") or []]]
        r.check("%s: every pod spec pulls with Secret %s"
                % (label, x["pull_secret"]), bad)
    if x.get("openshift"):
        bad = []
        for name, _, s in pods:
            for c in containers(s):
                uid = effective(s, c, "runAsUser")
                gid = effective(s, c, "runAsGroup")
                if uid != x["uid"] or gid != x["gid"]:
                    bad.append("%s %s runs as %s:%s" % (name, c["name"],
                                                         uid, gid))
        r.check("%s: every container (hook Jobs included) runs as %d:%d"
                % (label, x["uid"], x["gid"]), bad)


def check_pull_secret(r, x, secrets):
    """The pull Secret holds the registry's credentials as the kubelet
    reads them (.dockerconfigjson: auths.REGISTRY.{username, password,
    auth})."""
    probs = []
    s = [d for d in secrets if d["metadata"]["name"] == x["pull_secret"]]
    if not s:
        probs.append("no Secret %s" % x["pull_secret"])
    else:
        s = s[0]
        if s.get("type") != "kubernetes.io/dockerconfigjson":
            probs.append("type %r" % s.get("type"))
        try:
            a = json.loads(s["stringData"][".dockerconfigjson"])
            a = a["auths"][x["registry"]]
            user, _, pw = base64.b64decode(a["auth"]).decode().partition(":")
            if (a["username"], a["password"], user, pw) != (
                    x["registry_user"], x["registry_password"],
                    x["registry_user"], x["registry_password"]):
                probs.append("the credentials differ")
        except (KeyError, ValueError) as e:
            probs.append("no auths entry for %s: %s" % (x["registry"], e))
    r.check("the pull Secret %s carries the registry's credentials"
            % x["pull_secret"], probs)


def check_wandb(r, x, docs, secrets):
    check_pods(r, x, docs, "operator-wandb")
    if x.get("pull_secret"):
        check_pull_secret(r, x, secrets)
    objs = Objects(secrets, docs)
    pods = list(pod_specs(docs))

    # The version: every W&B server image takes it.
    if x.get("version"):
        seen, bad = set(), []
        for name, _, s in pods:
            for c in containers(s):
                repo, tag = split_image(c["image"])
                for si in SERVER_IMAGES:
                    if repo == si or repo.endswith("/" + si):
                        seen.add(si)
                        if tag != x["version"]:
                            bad.append("%s %s: %s" % (name, c["name"],
                                                      c["image"]))
        for si in ("wandb/local", "wandb/megabinary", "wandb/console",
                   "wandb/weave-python"):
            if si not in seen:
                bad.append("no %s rendered" % si)
        r.check("every W&B server image takes deployment.wandb_version "
                "%s" % x["version"], bad)

    # The app's environment, expanded as the kubelet does.
    app = [(n, c) for n, _, s in pods for c in containers(s)
           if n.startswith("Deployment/") and c["name"] == "app"]
    if not app:
        r.check("the app container is rendered", ["none"])
        return
    env = objs.env(app[0][1])
    m = x["mysql"]
    probs = []
    url = env.get("MYSQL", "")
    try:
        u = urllib.parse.urlsplit(url)
        got = {"host": u.hostname, "port": u.port,
               "database": u.path.lstrip("/"),
               "user": urllib.parse.unquote(u.username or ""),
               "password": urllib.parse.unquote(u.password or "")}
        if u.scheme != "mysql":
            probs.append("scheme %r" % u.scheme)
        for k in ("host", "port", "database", "user", "password"):
            if got[k] != m[k]:
                probs.append("%s differs" % k if k == "password" else
                             "%s %r, want %r" % (k, got[k], m[k]))
    except ValueError as e:
        probs.append("MYSQL does not parse: %s" % e)
    r.check("MySQL host, port, database, user and password arrive in the "
            "app's MYSQL URL exactly", probs)
    # Every other consumer of the password: the init-db check decodes
    # $MYSQL_PASSWORD with unquote_plus; each mysql:// URL like MYSQL.
    probs = []
    for n, _, s in pods:
        for c in containers(s):
            cenv = objs.env(c)
            cmd = " ".join(c.get("command") or []) + " ".join(
                c.get("args") or [])
            if "unquote_plus" in cmd and "MYSQL_PASSWORD" in cmd:
                if urllib.parse.unquote_plus(
                        cenv.get("MYSQL_PASSWORD", "")) != m["password"]:
                    probs.append("%s %s: unquote_plus($MYSQL_PASSWORD) "
                                 "differs" % (n, c["name"]))
            for k, v in cenv.items():
                for part in re.findall(r"mysql://[^,\s]+", v):
                    pw = urllib.parse.unquote(
                        urllib.parse.urlsplit(part).password or "")
                    if pw != m["password"]:
                        probs.append("%s %s: %s's password differs"
                                     % (n, c["name"], k))
    r.check("every consumer of the MySQL password gets it exactly "
            "(URLs and the init-db check)", probs)

    b = x["bucket"]
    probs = []
    u = urllib.parse.urlsplit(env.get("BUCKET", ""))
    q = urllib.parse.parse_qs(u.query)
    if u.scheme != "s3":
        probs.append("scheme %r" % u.scheme)
    if urllib.parse.unquote(u.username or "") != b["access_key"]:
        probs.append("access key differs")
    if urllib.parse.unquote(u.password or "") != b["secret_key"]:
        probs.append("secret key differs")
    try:
        endpoint = (u.hostname, u.port)
    except ValueError as e:
        endpoint = (u.hostname, "?(%s)" % e)
    if endpoint != (b["host"], b["port"]):
        probs.append("endpoint %s:%s, want %s:%s" % (endpoint + (
            b["host"], b["port"])))
    if urllib.parse.unquote(u.path) != "/" + b["path"]:
        probs.append("path %r, want %r" % (u.path, "/" + b["path"]))
    if b.get("tls") is not None and q.get("tls") != [b["tls"]]:
        probs.append("tls %s, want %s" % (q.get("tls"), b["tls"]))
    if env.get("AWS_REGION") != b["region"]:
        probs.append("AWS_REGION %r, want %r" % (env.get("AWS_REGION"),
                                                 b["region"]))
    r.check("the bucket (name, path, region, keys from their Secret, TLS) "
            "arrives in the app's BUCKET URL", probs)

    probs = []
    if env.get("LICENSE") != x["license"]:
        probs.append("LICENSE differs")
    if env.get("HOST") != x["host"]:
        probs.append("HOST %r, want %r" % (env.get("HOST"), x["host"]))
    r.check("the license (from its Secret) and the host arrive", probs)

    ings = [d for d in docs if d.get("kind") == "Ingress"]
    probs = [] if ings else ["no Ingress"]
    for i in ings:
        spec = i.get("spec") or {}
        if spec.get("ingressClassName") != x["ingress_class"]:
            probs.append("%s: class %r" % (i["metadata"]["name"],
                                           spec.get("ingressClassName")))
        tls = spec.get("tls") or []
        if not any(t.get("secretName") == x["tls_secret"] and
                   x["fqdn"] in (t.get("hosts") or []) for t in tls):
            probs.append("%s: tls %s" % (i["metadata"]["name"], tls))
    r.check("the ingress class and its TLS secret arrive", probs)


def check_operator(r, x, docs):
    check_pods(r, x, docs, "operator")
    reg = x.get("registry")
    if reg:
        imgs = images(docs)
        r.check("the operator runs %s/wandb/controller" % reg,
                [] if any(i.startswith(reg + "/wandb/controller:")
                          for i in imgs) else ["images: %s" % imgs])


def main():
    if sys.argv[1] == "images":
        out = set()
        for p in sys.argv[2:]:
            out.update(images(load(p)))
        print("\n".join(sorted(out)))
        return 0
    with open(sys.argv[2]) as f:
        x = json.load(f)
    r = Report()
    check_wandb(r, x, load(sys.argv[3]), load(sys.argv[4]))
    if len(sys.argv) > 5:
        check_operator(r, x, load(sys.argv[5]))
    return 1 if r.failed else 0


if __name__ == "__main__":
    sys.exit(main())
