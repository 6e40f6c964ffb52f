#!/usr/bin/env bash
# System packages the tests need, installed with apt only when missing (Debian/Ubuntu).
#   chromium            headless browser for the HTML report test (tests/test_report_browser.py)
#   fonts-wqy-microhei  a CJK font, so reports and docs/report-screenshot.png render Chinese text
#   jq, unzip           used by console examples in docs/ that tests/test_docs.py runs
# Append packages as "command-or-file:package" pairs; a pair is skipped when the command/file exists.
set -euo pipefail

NEEDS=(
    "chromium:chromium"
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc:fonts-wqy-microhei"
    "jq:jq"
    "unzip:unzip"
)

missing=()
for need in "${NEEDS[@]}"; do
    probe="${need%%:*}"
    package="${need#*:}"
    if [[ "$probe" == /* ]]; then
        [[ -e "$probe" ]] || missing+=("$package")
    else
        command -v "$probe" >/dev/null 2>&1 || missing+=("$package")
    fi
done

if ((${#missing[@]} == 0)); then
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-system-deps: apt-get not found; please install: ${missing[*]}" >&2
    exit 1
fi

SUDO=""
if [[ "$(id -u)" != 0 ]]; then
    SUDO="sudo"
fi
echo "install-system-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
