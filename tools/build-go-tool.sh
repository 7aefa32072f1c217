#!/usr/bin/env bash
# Builds tools listed in tools/versions.json from their Go modules into the per-user cache
#   ${SITESTACK_CACHE_DIR:-$HOME/.cache/sitestack}/bin/<name>-<version>/<name>
# only when that binary is absent. Tools of one wrapper module that link with the same flags are
# built by a single `go build`, and every build uses the default (shared) GOMODCACHE and GOCACHE,
# so packages compiled for one tool are reused by the next.
#
# Usage: tools/build-go-tool.sh [--path] NAME...
#   --path   print the cache path of each NAME (or the system binary it would use) without building
# Progress goes to stderr; stdout gets one absolute binary path per NAME, in order.
# Exit codes: 0 ok, 2 usage or manifest error, 3 Go toolchain missing, 4 build failed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
manifest="$here/versions.json"
cache="${SITESTACK_CACHE_DIR:-$HOME/.cache/sitestack}"
say() { printf '[build-go-tool] %s\n' "$*" >&2; }
die() {
  say "$2"
  exit "$1"
}

path_only=false
names=()
for arg in "$@"; do
  case "$arg" in
    --path) path_only=true ;;
    -h | --help)
      sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    -*) die 2 "unknown option $arg" ;;
    *) names+=("$arg") ;;
  esac
done
[ "${#names[@]}" -gt 0 ] || die 2 "usage: tools/build-go-tool.sh [--path] NAME... (names: $(jq -r '[.tools[].name]|join(", ")' "$manifest"))"
command -v jq >/dev/null || die 2 "jq is required to read $manifest (Debian: apt-get install jq)"

# field NAME JQ-EXPR: one value of the tool's manifest entry, ldflags resolved through ldflagSets.
field() {
  jq -er --arg n "$1" '. as $root | .tools[] | select(.name == $n)
    | .ldflags = (if (.ldflags | type) == "string" then $root.ldflagSets[.ldflags] else .ldflags end)
    | '"$2" "$manifest"
}

# version_at_least HAVE WANT: true when dotted version HAVE >= WANT.
version_at_least() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

# system_binary NAME: prints a PATH binary that the manifest allows instead of a build, if any.
system_binary() {
  local cmd min bin have
  cmd="$(field "$1" '.system // empty')" || return 1
  min="$(field "$1" '.systemMinVersion')"
  bin="$(command -v "$cmd")" || return 1
  have="$("$bin" --version 2>/dev/null | grep -Eo '[0-9]+\.[0-9]+\.[0-9]+' | head -n1)" || return 1
  version_at_least "$have" "$min" || return 1
  printf '%s\n' "$bin"
}

cache_path() { printf '%s/bin/%s-%s/%s\n' "$cache" "$1" "$(field "$1" .version)" "$1"; }

# Resolve every name first so a typo fails before anything is built.
declare -A result
pending=()
for name in "${names[@]}"; do
  field "$name" .name >/dev/null 2>&1 || die 2 "unknown tool \"$name\" (not in $manifest)"
  if sys="$(system_binary "$name")"; then
    result[$name]="$sys"
    $path_only || say "$name: using system binary $sys"
    continue
  fi
  result[$name]="$(cache_path "$name")"
  if [ -x "${result[$name]}" ]; then
    $path_only || say "$name $(field "$name" .version): cached at ${result[$name]}"
  else
    pending+=("$name")
  fi
done

if ! $path_only && [ "${#pending[@]}" -gt 0 ]; then
  command -v go >/dev/null || die 3 "cannot build ${pending[*]}: no Go toolchain on PATH (https://go.dev/dl/)"
  mkdir -p "$cache/bin" "$cache/locks"
  say "GOMODCACHE=$(go env GOMODCACHE) GOCACHE=$(go env GOCACHE) ($(go version | cut -d' ' -f3))"

  # One `go build` per (wrapper, tags, ldflags): the key groups tools that can share one link set-up.
  declare -A groups
  for name in "${pending[@]}"; do
    key="$(field "$name" '[.wrapper, (.tags|join(",")), (.ldflags|join(" ")), .version] | @json')"
    groups[$key]+="$name "
  done

  for key in "${!groups[@]}"; do
    read -r -a members <<<"${groups[$key]}"
    first="${members[0]}"
    wrapper="$(field "$first" .wrapper)"
    version="$(field "$first" .version)"
    wdir="$here/go/$wrapper"
    [ -f "$wdir/go.mod" ] || die 2 "$first: wrapper module $wdir/go.mod is missing"

    # Serialise builders of one wrapper (parallel test workers, CI steps); whoever waited may find
    # the work done.
    exec 9>"$cache/locks/$wrapper.lock"
    flock 9
    todo=()
    for name in "${members[@]}"; do [ -x "${result[$name]}" ] || todo+=("$name"); done
    if [ "${#todo[@]}" -eq 0 ]; then
      say "${members[*]}: built meanwhile by another process"
      exec 9>&-
      continue
    fi

    # The wrapper's go.mod is the pin that actually counts; refuse to stamp a different version.
    pkgs=()
    for name in "${todo[@]}"; do
      module="$(field "$name" .module)"
      # moduleVersion: the module's own version when the version we stamp differs (a provider
      # pseudo-version one day before its release tag).
      want="$(field "$name" '.moduleVersion // ("v" + .version)')"
      pinned="$(cd "$wdir" && go list -m -f '{{.Version}}' "$module")"
      [ "$pinned" = "$want" ] ||
        die 2 "$name: tools/versions.json says $want but tools/go/$wrapper/go.mod pins $module $pinned"
      pkgs+=("$(field "$name" .package)")
    done

    # generate: a Go program in the wrapper that writes files the build embeds (never committed),
    # run with the stamped version and the module's directory.
    generator="$(field "$first" '.generate // empty' || true)"
    if [ -n "$generator" ]; then
      module="$(field "$first" .module)"
      (cd "$wdir" && go mod download "$module") || die 4 "$first: cannot download $module"
      module_dir="$(cd "$wdir" && go list -m -f '{{.Dir}}' "$module")"
      say "$first: generating embedded files with $generator"
      (cd "$wdir" && TOOL_VERSION="$version" MODULE_DIR="$module_dir" go run "$generator") ||
        die 4 "$first: $generator failed"
    fi

    k8s_minor=""
    if field "$first" '.ldflags | join(" ")' | grep -q '{k8s'; then
      client_go="$(cd "$wdir" && go list -m -f '{{.Version}}' k8s.io/client-go)"
      k8s_minor="$(printf '%s' "$client_go" | cut -d. -f2)"
    fi
    major="${version%%.*}"
    minor="$(printf '%s' "$version" | cut -d. -f2)"
    # A pseudo-version (0.0.0-<timestamp>-<12-hex commit>) names its commit; tagged versions do not.
    commit=""
    [[ "$version" =~ -[0-9]{14}-([0-9a-f]{12})$ ]] && commit="${BASH_REMATCH[1]}"
    ldflags="-s -w $(field "$first" '.ldflags | join(" ")' |
      sed -e "s/{version}/$version/g" -e "s/{major}/$major/g" -e "s/{minor}/$minor/g" \
        -e "s/{commit}/$commit/g" -e "s/{k8sMajor}/1/g" -e "s/{k8sMinor}/$k8s_minor/g")"
    tags="$(field "$first" '.tags | join(",")')"

    out="$(mktemp -d "$cache/bin/.build-$wrapper-XXXXXX")"
    estimate="$(field "$first" '.buildMinutes // empty' || true)"
    say "building ${todo[*]} $version from Go modules (once per version${estimate:+, about $estimate min on 2 cores}): go build -trimpath${tags:+ -tags $tags} -ldflags \"$ldflags\" in tools/go/$wrapper"
    start=$(date +%s)
    # A first build can take half an hour: say it is still going, so neither a terminal nor a CI
    # log sits silent.
    (
      exec 9>&- # not the build lock: only the builder holds it
      while sleep "${SITESTACK_BUILD_HEARTBEAT_SECONDS:-30}"; do
        elapsed=$(($(date +%s) - start))
        say "still building ${todo[*]}: $((elapsed / 60))m$(printf '%02d' $((elapsed % 60)))s elapsed${estimate:+ of about ${estimate}m}"
      done
    ) &
    heartbeat=$!
    if ! (cd "$wdir" && CGO_ENABLED=0 GOFLAGS="-mod=readonly ${GOFLAGS:-}" \
      go build -trimpath ${tags:+-tags "$tags"} -ldflags "$ldflags" -o "$out/" "${pkgs[@]}"); then
      kill "$heartbeat" 2>/dev/null || true
      rm -rf "$out"
      die 4 "go build failed for ${todo[*]} (tools/go/$wrapper)"
    fi
    kill "$heartbeat" 2>/dev/null || true
    for i in "${!todo[@]}"; do
      name="${todo[$i]}"
      # go build names a binary after the last import path element, skipping a /vN suffix.
      built="$(basename "${pkgs[$i]}")"
      [[ "$built" =~ ^v[0-9]+$ ]] && built="$(basename "$(dirname "${pkgs[$i]}")")"
      mkdir -p "$(dirname "${result[$name]}")"
      mv "$out/$built" "${result[$name]}"
    done
    rm -rf "$out"
    exec 9>&-
    say "built ${todo[*]} $version in $(($(date +%s) - start))s -> $(dirname "$(dirname "${result[$first]}")")"
  done
fi

for name in "${names[@]}"; do printf '%s\n' "${result[$name]}"; done
