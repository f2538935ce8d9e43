#!/usr/bin/env bash
# Regenerate the translation sources from the UI code and build the .qm files the app loads.
#   scripts/update_translations.sh          update .ts (keeping existing translations) + build .qm
#   scripts/update_translations.sh --check  fail if a Chinese translation is missing or unfinished
#                                           (or the .ts lags the code); writes nothing
# Source strings are English; tabledesk_zh_CN.ts holds the Chinese, tabledesk_en.ts only plural
# forms (-pluralonly). No source locations: they would churn with every edit of ui/*.py.
# Translate with pyside6-linguist (or by hand in the .ts), then run this again to build the .qm.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
[ -x "$bin/pyside6-lupdate" ] || bin=$(dirname "$(command -v pyside6-lupdate)")
out=resources/translations
mkdir -p "$out"
shopt -s globstar
sources=(desktop/tabledesk/ui/**/*.py)

if [ "${1:-}" = "--check" ]; then
  # a check changes nothing: the sources are scanned into a copy of the Chinese .ts
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  cp "$out/tabledesk_zh_CN.ts" "$tmp/"
  "$bin/pyside6-lupdate" -silent -locations none -no-obsolete "${sources[@]}" -ts "$tmp/tabledesk_zh_CN.ts"
  if grep -q 'type="unfinished"' "$tmp/tabledesk_zh_CN.ts"; then
    echo "update_translations: unfinished Chinese translations in $out/tabledesk_zh_CN.ts" >&2
    exit 1
  fi
  if ! cmp -s "$tmp/tabledesk_zh_CN.ts" "$out/tabledesk_zh_CN.ts"; then
    echo "update_translations: $out/tabledesk_zh_CN.ts is not up to date with the UI code: run $0" >&2
    exit 1
  fi
  exit 0
fi

"$bin/pyside6-lupdate" -locations none -no-obsolete "${sources[@]}" -ts "$out/tabledesk_zh_CN.ts"
"$bin/pyside6-lupdate" -locations none -no-obsolete -pluralonly "${sources[@]}" -ts "$out/tabledesk_en.ts"
for ts in "$out"/tabledesk_*.ts; do
  "$bin/pyside6-lrelease" -silent "$ts" -qm "${ts%.ts}.qm"
done
