#!/usr/bin/env bash
# Replaces the crawler list the Api ships (Api/InvalidTraffic/crawler-user-agents.json) with the one of an npm
# release of crawler-user-agents (MIT), and its licence beside it. A running Api reloads the file it reads
# (AdClicks:InvalidTraffic:CrawlerListPath) when it changes, so a deployment can also copy the file in place.
# Usage: scripts/update-crawler-list.sh [version]   (default: the latest release)
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:-latest}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tarball=$(cd "$work" && npm pack --silent "crawler-user-agents@$version")
tar -xzf "$work/$tarball" -C "$work"
cp "$work/package/crawler-user-agents.json" Api/InvalidTraffic/crawler-user-agents.json
cp "$work/package/LICENSE" Api/InvalidTraffic/crawler-user-agents.LICENSE
echo "crawler-user-agents $(node -p "require('$work/package/package.json').version"): $(node -p "require('$work/package/crawler-user-agents.json').length") patterns"
