# shellcheck shell=sh
# The real helm behind the stand-ins for helm and kubectl (sourced by them,
# after standin.sh).  The stand-ins stand in for the cluster only: what a
# real helm does with no cluster, the real helm does.
#   - helm template, lint, show, pull, package, push, dependency, repo,
#     registry: the real helm, as they are.
#   - helm upgrade --install: first the real helm renders the same chart
#     with the same values and flags (helm template), and an error there
#     fails the call as helm would fail it; then the replay.  Each chart
#     so rendered is named in realhelm.log beside the stand-ins.
#   - kubectl apply of a WeightsAndBiases resource: the operator's two
#     steps, with the real helm: pull spec.chart as the operator's puller
#     does (wandb/operator, pkg/wandb/spec/charts/: oci.go's OCIRelease,
#     repo.go's RepoRelease), then render it with spec.values.  The apply
#     itself succeeds (the API server takes it); when a step fails, the
#     resource's phase becomes "Invalid Config", as the operator sets it,
#     and the operator's error is in operator.log beside the stand-ins.
# Settings (standin.env or the environment):
#   STANDIN_HELM    the real helm (default: where scripts/deps installs it);
#                   absent or "none": the stand-ins only replay, as before
#   STANDIN_CHARTS  a directory standing in for the Helm repositories of
#                   the internet (https://charts.wandb.ai): NAME/ chart
#                   directories or NAME-VERSION.tgz.  `--repo URL` charts
#                   are taken from there, and a resource without spec.chart
#                   (the operator then asks W&B's deployer) gets its
#                   operator-wandb.  Unset: those are only replayed.
# spec.chart's credentials (username/password, credentialSecret) are not
# read: a registry that wants them refuses the pull, as it would refuse the
# operator without them.
# What the real helm writes (cache, config, pulled charts, the operator's
# rendered manifests in operator-manifests.yaml) stays in helm-home/ and
# beside the stand-ins.
: "${STANDIN_HELM:=/opt/wbinstall-test/helm-3.17.3/helm}"
: "${STANDIN_CHARTS:=}"

realhelm_ok() {
	[ "$STANDIN_HELM" != none ] && [ -x "$STANDIN_HELM" ]
}

realhelm() {
	HELM_CACHE_HOME=$standin_dir/helm-home/cache \
	HELM_CONFIG_HOME=$standin_dir/helm-home/config \
	HELM_DATA_HOME=$standin_dir/helm-home/data \
	    "$STANDIN_HELM" "$@"
}

# The local copy of chart NAME at VERSION (any version when empty) in
# STANDIN_CHARTS, on stdout; 1 when there is none.
realhelm_local_chart() {	# NAME VERSION
	[ -n "$STANDIN_CHARTS" ] || return 1
	if [ -n "$2" ] && [ -f "$STANDIN_CHARTS/$1-$2.tgz" ]; then
		echo "$STANDIN_CHARTS/$1-$2.tgz"
		return 0
	fi
	[ -f "$STANDIN_CHARTS/$1/Chart.yaml" ] || return 1
	if [ -n "$2" ] && ! grep -qE "^version: \"?$2\"?\$" \
	    "$STANDIN_CHARTS/$1/Chart.yaml"; then
		return 1
	fi
	echo "$STANDIN_CHARTS/$1"
}

# helm upgrade --install REL CHART FLAGS...: helm template with the same
# chart, values and flags; its error, and exit status, when it fails.
# --values - is the recorded stdin (not recorded: helm reads it).  A --repo chart comes from
# STANDIN_CHARTS (not there: helm's own "not found"); with no
# STANDIN_CHARTS it is only replayed.
realhelm_upgrade() {
	realhelm_ok || return 0
	shift	# upgrade
	rh_repo='' rh_version='' rh_chart='' rh_n=0 rh_prev=''
	# The same arguments, but the chart last (helm takes flags and
	# arguments in any order) and --install, --repo and stdin gone.
	for a do
		shift
		case $rh_prev in
		--repo) rh_repo=$a; rh_prev=; continue ;;
		--values|-f)
			rh_prev=
			if [ "$a" = - ] && [ -n "$standin_stdin" ]; then
				set -- "$@" --values "$standin_stdin"
			else
				set -- "$@" --values "$a"
			fi
			continue ;;
		--version) rh_version=$a ;;
		esac
		case $a in
		--install|-i) rh_prev=; continue ;;
		--repo|--values|-f) rh_prev=$a; continue ;;
		--version|--namespace|-n|--timeout) rh_prev=$a ;;
		-*) rh_prev= ;;
		*)
			if [ -z "$rh_prev" ]; then
				rh_n=$((rh_n + 1))
				if [ $rh_n = 2 ]; then
					rh_chart=$a
					continue
				fi
			fi
			rh_prev= ;;
		esac
		set -- "$@" "$a"
	done
	if [ -n "$rh_repo" ]; then
		[ -n "$STANDIN_CHARTS" ] || return 0
		if ! rh_local=$(realhelm_local_chart "$rh_chart" "$rh_version"); then
			echo "Error: chart \"$rh_chart\" version \"$rh_version\" not found in $rh_repo repository" >&2
			return 1
		fi
		rh_chart=$rh_local
	fi
	realhelm template "$@" "$rh_chart" >/dev/null || return 1
	echo "rendered $rh_chart" >>"$standin_dir/realhelm.log"
}

# The WeightsAndBiases resource in FILE, read by helm itself (a chart of
# two templates fed the resource as its values; the first writes YAML
# comments): chart.env (KEY=VALUE lines) and values.yaml in DIR.
realhelm_read_cr() {	# FILE DIR
	rc_chart=$standin_dir/helm-home/read-cr
	if [ ! -f "$rc_chart/Chart.yaml" ]; then
		mkdir -p "$rc_chart/templates"
		printf 'apiVersion: v2\nname: read-cr\nversion: 0.0.0\n' \
		    >"$rc_chart/Chart.yaml"
		cat >"$rc_chart/templates/chart.yaml" <<'EOF'
# the resource
{{- $s := .Values.spec | default dict }}
{{- $c := $s.chart | default dict }}
{{- $m := .Values.metadata | default dict }}
#haschart={{ if $s.chart }}1{{ end }}
#url={{ $c.url | default "" }}
#name={{ $c.name | default "" }}
#version={{ $c.version | default "" }}
#plainHTTP={{ $c.plainHTTP | default false }}
#path={{ $c.path | default "" }}
#release={{ $m.name | default "" }}
#namespace={{ $m.namespace | default "default" }}
EOF
		cat >"$rc_chart/templates/values.yaml" <<'EOF'
# spec.values
{{- $s := .Values.spec | default dict }}
{{ $s.values | default dict | toYaml }}
EOF
	fi
	realhelm template read-cr "$rc_chart" --values "$1" \
	    --show-only templates/chart.yaml >"$2/chart.out" &&
	sed -n 's/^#\([a-zA-Z]*=\)/\1/p' "$2/chart.out" >"$2/chart.env" &&
	realhelm template read-cr "$rc_chart" --values "$1" \
	    --show-only templates/values.yaml >"$2/values.yaml"
}

realhelm_env() {	# KEY: its value in chart.env
	sed -n "s/^$1=//p" "$rh_dir/chart.env"
}

# kubectl apply -f - of FILE: when it holds a WeightsAndBiases resource,
# the operator's two steps; the outcome in operator.log and, on a failure,
# operator.failed.
realhelm_operator() {	# FILE
	realhelm_ok || return 0
	grep -q '^kind: WeightsAndBiases' "$1" || return 0
	rh_dir=$standin_dir/helm-home/operator
	rm -rf "$rh_dir" "$standin_dir/operator.failed"
	mkdir -p "$rh_dir/pulled"
	if ! realhelm_operator_steps "$1" >>"$standin_dir/operator.log" 2>&1; then
		tail -n 3 "$standin_dir/operator.log" >"$standin_dir/operator.failed"
	fi
	return 0
}

realhelm_operator_steps() {	# FILE
	echo "operator: reconcile $(date -u +%FT%TZ)"
	realhelm_read_cr "$1" "$rh_dir" || return 1
	url=$(realhelm_env url)
	version=$(realhelm_env version)
	if [ -z "$(realhelm_env haschart)" ]; then
		# No spec.chart: the operator takes the one W&B's deployer
		# names, which stands here in STANDIN_CHARTS.
		if ! chart=$(realhelm_local_chart operator-wandb ""); then
			echo "operator: no spec.chart and no deployer chart (STANDIN_CHARTS): not rendered"
			return 0
		fi
	elif [ -n "$(realhelm_env path)" ]; then
		chart=$(realhelm_env path)
	else
		case $url in
		oci://*)
			# OCIRelease: the url is the chart's repository; the
			# reference is url:version; plainHTTP as set.
			set -- pull "$url"
			[ -z "$version" ] || set -- "$@" --version "$version"
			[ "$(realhelm_env plainHTTP)" != true ] ||
			    set -- "$@" --plain-http
			;;
		http://*|https://*)
			# RepoRelease: a Helm repository, the chart by name.
			if [ -z "$(realhelm_env name)" ]; then
				echo "operator: spec.chart: a Helm repository needs name"
				return 1
			fi
			set -- pull "$(realhelm_env name)" --repo "$url" \
			    --insecure-skip-tls-verify
			[ -z "$version" ] || set -- "$@" --version "$version"
			;;
		*)
			echo "operator: spec.chart: url '$url' is neither oci:// nor a Helm repository"
			return 1 ;;
		esac
		echo "operator: helm $*"
		realhelm "$@" --destination "$rh_dir/pulled" || return 1
		chart=$(ls "$rh_dir/pulled"/*.tgz)
	fi
	echo "operator: render $chart"
	realhelm template "$(realhelm_env release)" "$chart" \
	    --namespace "$(realhelm_env namespace)" \
	    --values "$rh_dir/values.yaml" \
	    >"$standin_dir/operator-manifests.yaml" || return 1
	echo "operator: rendered $(grep -c '^kind:' "$standin_dir/operator-manifests.yaml") objects"
}

# kubectl get weightsandbiases: after a failed reconcile, the resource
# with the phase the operator sets then; 1 otherwise.
realhelm_operator_status() {
	[ -f "$standin_dir/operator.failed" ] || return 1
	sed 's/"phase": "[^"]*"/"phase": "Invalid Config"/' \
	    "$STANDIN_FIXTURES/kubectl-wandb.json"
}
