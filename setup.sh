#!/usr/bin/env bash
# Installs what studyguide needs on this machine, and only what is missing:
#   bash setup.sh            the system libraries and faces, then requirements.txt
#   bash setup.sh --dev      the same, then requirements-dev.txt (the tests and the linter)
#   bash setup.sh --dry-run  says what it would install, installs nothing
# System packages come from apt-get on Debian and Ubuntu (as root, or through sudo) and from
# Homebrew on macOS; Python packages from pip. Nothing else is downloaded.
set -euo pipefail
cd "$(dirname "$0")"

requirements=requirements.txt
dry_run=false
for argument in "$@"; do
  case "$argument" in
    --dev) requirements=requirements-dev.txt ;;
    --dry-run) dry_run=true ;;
    -h|--help) sed -n '2,7s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown option $argument (try --help)" >&2; exit 2 ;;
  esac
done

say() { echo "setup: $*"; }

# Pango lays out the text; HarfBuzz's subset library embeds only the glyphs a PDF uses
# (without it WeasyPrint subsets in Python, slower, and warns for every font); Noto Sans CJK
# prints Chinese, Japanese and Korean, too large for pip.
debian_packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk)
brew_packages=(pango harfbuzz font-noto-sans-cjk)

missing_debian() {
  local package
  for package in "${debian_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' \
      || echo "$package"
  done
}

missing_brew() {
  local package
  for package in "${brew_packages[@]}"; do
    brew list "$package" >/dev/null 2>&1 || echo "$package"
  done
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    say "not root and no sudo: ask an administrator to run: $*" >&2
    return 1
  fi
}

install_system_packages() {
  local missing
  if command -v dpkg-query >/dev/null 2>&1; then
    missing=($(missing_debian))  # bash 3 (macOS) has no mapfile
    [ ${#missing[@]} -eq 0 ] && { say "system packages: all there"; return; }
    say "system packages to install with apt-get: ${missing[*]}"
    $dry_run && return
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  elif command -v brew >/dev/null 2>&1; then
    missing=($(missing_brew))
    [ ${#missing[@]} -eq 0 ] && { say "system packages: all there"; return; }
    say "system packages to install with Homebrew: ${missing[*]}"
    $dry_run && return
    brew install "${missing[@]}"
  else
    say "neither apt-get nor Homebrew here: install Pango 1.44 or newer, HarfBuzz with its" \
        "subset library and Noto Sans CJK with your package manager" >&2
  fi
}

install_python_packages() {
  say "Python packages: pip install -r $requirements"
  $dry_run && return
  python -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -r "$requirements"
}

install_system_packages
install_python_packages
