#!/usr/bin/env bash
# Refreshes the vendored uap-core data set (regexes.yaml and its licence) and its test fixtures from npm and
# the matching GitHub tag. Usage: scripts/update-uap-core.sh [version] (default: the vendored 0.18.0).
set -euo pipefail
version="${1:-0.18.0}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "uap-core@$version" >/dev/null && tar xzf "uap-core-$version.tgz")
cp "$work/package/regexes.yaml" "$root/Grains/Enrichment/UserAgents/regexes.yaml"
cp "$work/package/LICENSE" "$root/Grains/Enrichment/UserAgents/LICENSE-uap-core"
# The npm package has no fixtures: they come from the same version's tag, kept gzipped (3.3 MB of text).
for f in test_ua test_os test_device; do
  curl -fsSL "https://raw.githubusercontent.com/ua-parser/uap-core/v$version/tests/$f.yaml" | gzip -9 -n > "$root/Tests/Enrichment/UapCore/$f.yaml.gz"
done
cp "$work/package/LICENSE" "$root/Tests/Enrichment/UapCore/LICENSE-uap-core"
echo "uap-core $version vendored; run the UapCoreFixtureTests."
