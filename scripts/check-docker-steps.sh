#!/usr/bin/env bash
# No Docker engine runs on CI machines, so this checks the Dockerfile's steps another way: it asserts the
# image's shape (multi-stage, non-root, /data volume, HEALTHCHECK, npm start), then replays the build
# stage in a clean directory with only the files the Dockerfile copies, assembles the runtime stage from
# its COPY lines, and runs it: migrate, import, status, then `npm start` until /healthz answers 200 and
# SIGTERM stops it cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

fail() { echo "check-docker-steps: $*" >&2; exit 1; }
grep -c '^FROM ' Dockerfile | grep -qx 2 || fail 'the Dockerfile must have a build and a runtime stage'
grep -q '^USER node' Dockerfile || fail 'the runtime must not run as root'
grep -q '^VOLUME \["/data"\]' Dockerfile || fail 'SQLite must live on the /data volume'
grep -q '^HEALTHCHECK ' Dockerfile || fail 'HEALTHCHECK on /healthz is missing'
grep -q '^CMD \["npm", "start"\]' Dockerfile || fail 'the image must start with npm start'
grep -q 'tini", "-g"' Dockerfile || fail 'tini must signal the process group, or SIGTERM never reaches node'
grep -q 'npm prune --omit=dev' Dockerfile || fail 'the runtime must carry production dependencies only'
grep -q 'HOST=0.0.0.0' Dockerfile || fail 'the image must listen on every interface (HOST=0.0.0.0), or nothing reaches it'

work=$(mktemp -d)
trap 'rm -rf "$work"; [ -n "${stub:-}" ] && kill "$stub" 2>/dev/null; [ -n "${app:-}" ] && kill "$app" 2>/dev/null; true' EXIT
mkdir -p "$work/build" "$work/runtime" "$work/data"

echo '-- build stage (clean directory, only what the Dockerfile copies)'
cp package.json package-lock.json tsconfig.json tsconfig.build.json "$work/build/"
cp -r src bin "$work/build/"
(cd "$work/build" && npm ci --no-audit --no-fund >/dev/null && npm prune --omit=dev >/dev/null)
[ -f "$work/build/dist/cli.js" ] || fail 'npm ci did not build dist/'
[ ! -d "$work/build/node_modules/vitest" ] || fail 'dev dependencies survived npm prune'

echo '-- runtime stage'
cp -r "$work/build/node_modules" "$work/build/dist" "$work/runtime/"
cp package.json manifest.yml "$work/runtime/"
cp -r bin migrations assessments demo "$work/runtime/"
cd "$work/runtime"
export DATABASE_PATH="$work/data/wgbot.db"
node bin/wgbot.js migrate
node bin/wgbot.js import demo/working-group.md >/dev/null
node bin/wgbot.js status improve-ops-quality --json | node -e 'const r=JSON.parse(require("fs").readFileSync(0,"utf8")); if (r.criteria.length!==6) process.exit(1)'

# A stand-in for slack.com that answers auth.test, so `npm start` can come up without the internet.
node -e '
  require("http").createServer((q, s) => { s.setHeader("content-type", "application/json");
    s.end(JSON.stringify({ ok: true, user_id: "U0BOT", bot_id: "B0BOT", team_id: "T0", url: "https://x.slack.com/" })); })
  .listen(0, "127.0.0.1", function () { console.log(this.address().port); });' > "$work/stub.port" &
stub=$!
for _ in $(seq 50); do [ -s "$work/stub.port" ] && break; sleep 0.1; done
port=$((20000 + RANDOM % 20000))
SLACK_BOT_TOKEN=xoxb-docker-check SLACK_SIGNING_SECRET=check SLACK_API_URL="http://127.0.0.1:$(cat "$work/stub.port")/api/" \
  HOST=0.0.0.0 PORT=$port LOG_LEVEL=info setsid npm start > "$work/app.log" 2>&1 &
app=$!
for _ in $(seq 100); do
  if node -e "fetch('http://127.0.0.1:$port/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" 2>/dev/null; then break; fi
  sleep 0.2
done
node -e "fetch('http://127.0.0.1:$port/healthz').then(async r=>{console.log('healthz', r.status, await r.text()); process.exit(r.ok?0:1)},()=>process.exit(1))" \
  || { cat "$work/app.log"; fail '/healthz did not answer 200'; }
# As tini -g does in the image: SIGTERM to the whole process group (npm does not pass it on).
kill -TERM -- "-$app"
wait "$app" || true
for _ in $(seq 50); do pgrep -g "$app" >/dev/null || break; sleep 0.1; done
! pgrep -g "$app" >/dev/null || { cat "$work/app.log"; fail 'wgbot did not stop on SIGTERM'; }
app=
grep -q '"host":"0.0.0.0"' "$work/app.log" || { cat "$work/app.log"; fail 'wgbot did not listen on HOST'; }
grep -q '"msg":"wgbot stopped"' "$work/app.log" || { cat "$work/app.log"; fail 'no clean-shutdown log line'; }
if grep -q 'xoxb-docker-check' "$work/app.log"; then fail 'the bot token reached the log'; fi
echo 'check-docker-steps: ok'
