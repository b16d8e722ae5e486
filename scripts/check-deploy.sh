#!/usr/bin/env bash
# Checks the deploy kit with its ecosystems' own tools, offline and without a Docker engine or a running
# systemd: docker-compose normalises deploy/compose.yaml (and the result is checked for what matters:
# wgbot's port unpublished, health check, restart policy, named volumes), Caddy parses deploy/Caddyfile,
# and systemd-analyze verifies deploy/wgbot.service and rates its hardening. Needs the Debian packages
# docker-compose, caddy and systemd; `--install` installs the missing ones with apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
fail() { echo "check-deploy: $*" >&2; exit 1; }

if [ "${1:-}" = --install ]; then
  missing=()
  command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
  command -v caddy >/dev/null 2>&1 || missing+=(caddy)
  command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
  if [ ${#missing[@]} -gt 0 ]; then
    sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi
for tool in docker-compose caddy systemd-analyze; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is missing (run with --install, or apt-get install it)"
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo '-- deploy/compose.yaml (docker-compose config)'
# compose reads env_file and interpolates from deploy/.env: give it one made from .env.example, in a copy
# laid out as in the repository (the build context is the repository root).
mkdir -p "$work/repo"
cp -r deploy Dockerfile .env.example "$work/repo/"
sed 's/^WGBOT_DOMAIN=.*/WGBOT_DOMAIN=wgbot.example.com/' .env.example >"$work/repo/deploy/.env"
compose=(docker-compose --project-directory "$work/repo/deploy" -f "$work/repo/deploy/compose.yaml")
"${compose[@]}" config -q || fail 'compose.yaml is not valid'
"${compose[@]}" config >"$work/compose.normalised.yaml"
node --input-type=module - "$work/compose.normalised.yaml" <<'NODE' || fail 'compose.yaml lacks what the deploy needs'
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
const { services, volumes } = parse(readFileSync(process.argv[2], 'utf8'));
const problems = [];
const check = (ok, what) => ok || problems.push(what);
const { wgbot, caddy } = services;
check(wgbot?.build?.dockerfile === 'Dockerfile', 'wgbot is built from the repository Dockerfile');
check(!wgbot?.ports, "wgbot's port is not published (only Caddy reaches it)");
check(wgbot?.healthcheck?.test?.join(' ').includes('/healthz'), 'wgbot has a health check on /healthz');
check(/^(always|unless-stopped|on-failure)/.test(wgbot?.restart ?? ''), 'wgbot restarts');
check(wgbot?.environment?.HOST === '0.0.0.0', 'wgbot listens on the compose network (HOST=0.0.0.0)');
check(wgbot?.volumes?.some((v) => v.startsWith('wgbot-data:/data')), 'the database is on a named volume');
// Behind Caddy every request has Caddy's address: per-address limits must not make all clients one.
check(Number(wgbot?.environment?.HTTP_UNVERIFIED_PER_IP) >= 10000, 'per-address limits raised behind the proxy');
check(/^caddy:/.test(caddy?.image ?? ''), 'Caddy is the official image');
check(caddy?.ports?.some((p) => p.target === 443), 'Caddy publishes 443');
check(caddy?.volumes?.some((v) => v.startsWith('caddy-data:/data')), "Caddy's certificates are on a named volume");
check(caddy?.environment?.WGBOT_DOMAIN === 'wgbot.example.com', 'Caddy gets WGBOT_DOMAIN');
for (const v of ['wgbot-data', 'caddy-data', 'caddy-config']) check(v in (volumes ?? {}), `volume ${v} is declared`);
if (problems.length) {
  console.error(`missing: ${problems.join('; ')}`);
  process.exit(1);
}
NODE
# Without WGBOT_DOMAIN, compose must refuse instead of starting Caddy for an empty host name.
sed -i 's/^WGBOT_DOMAIN=.*/WGBOT_DOMAIN=/' "$work/repo/deploy/.env"
if "${compose[@]}" config -q 2>/dev/null; then fail 'compose.yaml accepts an empty WGBOT_DOMAIN'; fi

echo '-- deploy/Caddyfile (caddy adapt, validate, fmt)'
WGBOT_DOMAIN=wgbot.example.com caddy adapt --adapter caddyfile --config deploy/Caddyfile >"$work/caddy.json" 2>"$work/caddy.log" \
  || { cat "$work/caddy.log"; fail 'Caddyfile does not parse'; }
grep -q '"wgbot.example.com"' "$work/caddy.json" || fail 'Caddyfile does not serve {$WGBOT_DOMAIN}'
grep -q '"wgbot:3000"' "$work/caddy.json" || fail 'Caddyfile does not proxy to wgbot:3000'
# validate provisions every module (TLS automation included) without starting a server; its storage goes
# to a throw-away home.
HOME="$work" XDG_DATA_HOME="$work" XDG_CONFIG_HOME="$work" WGBOT_DOMAIN=wgbot.example.com \
  caddy validate --adapter caddyfile --config deploy/Caddyfile >"$work/caddy.log" 2>&1 \
  || { cat "$work/caddy.log"; fail 'Caddyfile does not validate'; }
caddy fmt deploy/Caddyfile | diff -u deploy/Caddyfile - >&2 || fail 'Caddyfile is not formatted (caddy fmt --overwrite deploy/Caddyfile)'

echo '-- deploy/wgbot.service (systemd-analyze verify, security)'
# verify checks that ExecStart's binary exists: point a copy at this machine's node if it lives elsewhere.
unit="$work/wgbot.service"
sed "s#^ExecStart=/usr/bin/node #ExecStart=$(command -v node) #" deploy/wgbot.service >"$unit"
# verify reports unknown keys and bad values as warnings yet exits 0: any output at all is a failure.
if ! systemd-analyze verify "$unit" >"$work/verify.log" 2>&1 || [ -s "$work/verify.log" ]; then
  cat "$work/verify.log" >&2
  fail 'wgbot.service does not verify cleanly'
fi
# What the README promises of the unit (each a line of its own).
for line in 'ExecStart=/usr/bin/node /opt/wgbot/bin/wgbot.js serve' 'ProtectSystem=strict' 'StateDirectory=wgbot' \
  'ReadWritePaths=/var/lib/wgbot' 'NoNewPrivileges=yes' 'PrivateTmp=yes' 'ProtectHome=yes' 'CapabilityBoundingSet=' \
  'SystemCallFilter=@system-service' 'EnvironmentFile=/etc/wgbot/wgbot.env' 'Environment=HOST=127.0.0.1' \
  'TimeoutStopSec=15' 'Restart=on-failure'; do
  grep -qxF "$line" deploy/wgbot.service || fail "wgbot.service lacks the line: $line"
done
# systemd's own exposure rating (0 = locked down, 10 = wide open); the unit rates 1.5; keep it under 2.5.
systemd-analyze security --offline=true --threshold=25 "$unit" >"$work/security.log" 2>&1 \
  || { tail -3 "$work/security.log"; fail 'wgbot.service lost some of its hardening'; }
grep -o 'Overall exposure level.*' "$work/security.log" | sed 's/ *$//'

echo 'check-deploy: ok'
