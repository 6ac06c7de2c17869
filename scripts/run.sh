#!/usr/bin/env bash
# The one entry point behind every npm script and .ci/run: puts Node 24 on PATH, installs packages when the
# lockfile changed, then runs the command. Usage: scripts/run.sh <command> [args...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=ensure-node.sh
source scripts/ensure-node.sh

usage() {
  cat >&2 <<'USAGE'
usage: scripts/run.sh <command> [args...]
  dev        run the local stack (DynamoDB Local, SQS, API, workflows) on this machine
  test       run every test project (unit, integration, cdk, e2e); args go to vitest
  bench      run the benchmarks
  lint       eslint + dependency rules
  format     prettier --write
  typecheck  tsc
  synth      cdk synth
  openapi    generate docs/openapi from the zod contracts
  token      print an access token from the running local stack's dev IdP (token <user>)
USAGE
}

# npm writes node_modules/.package-lock.json after package-lock.json, so "lockfile newer" means someone
# changed dependencies since the last install.
install_packages() {
  if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] ||
    [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "run.sh: installing npm packages (npm ci)" >&2
    npm ci --no-audit --no-fund
  fi
}

# The web console has its own package.json and lockfile (it shares nothing with the Lambda bundles). Built
# when missing or older than its sources or the OpenAPI document its client is typed from.
build_console() {
  if [ ! -d web/node_modules ] || [ ! -f web/node_modules/.package-lock.json ] ||
    [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
    echo "run.sh: installing the console's npm packages (web/)" >&2
    (cd web && npm ci --no-audit --no-fund)
  fi
  if [ ! -f web/dist/index.html ] ||
    [ -n "$(find web/src web/index.html web/vite.config.ts web/package-lock.json docs/openapi.json -newer web/dist/index.html -print -quit)" ]; then
    echo "run.sh: building the web console (web/dist)" >&2
    npm --prefix web run -s build
  fi
}

run_tests() {
  npx tsx scripts/local/ensure-tools.ts
  local started=$SECONDS status=0
  npx vitest run "$@" || status=$?
  local elapsed=$((SECONDS - started))
  echo
  if [ "$status" -eq 0 ]; then
    echo "run.sh test: PASSED in $((elapsed / 60))m$((elapsed % 60))s"
  else
    echo "run.sh test: FAILED (vitest exit $status) after $((elapsed / 60))m$((elapsed % 60))s; see the failures above"
  fi
  return "$status"
}

command="${1:-}"
[ -n "$command" ] || { usage; exit 2; }
shift

case "$command" in
  dev | test | bench | lint | format | typecheck | synth | openapi) install_packages ;;
  token) ;;
  -h | --help | help) usage; exit 0 ;;
  *) echo "run.sh: unknown command '$command'" >&2; usage; exit 2 ;;
esac

case "$command" in
  dev | test | bench | synth) build_console ;;
esac

case "$command" in
  dev) exec npx tsx scripts/local/dev.ts "$@" ;;
  test) run_tests "$@" ;;
  bench) exec npx tsx scripts/bench/bench.ts "$@" ;;
  lint) npx eslint . && npx depcruise --config .dependency-cruiser.cjs bin lib functions shared scripts ;;
  format) exec npx prettier --write . ;;
  typecheck) exec npx tsc -p . ;;
  synth) exec npx cdk synth --quiet "$@" ;;
  openapi) exec npx tsx scripts/openapi/generate.ts "$@" ;;
  token) exec npx tsx scripts/local/token.ts "$@" ;;
esac
