#!/usr/bin/env bash
# The packed package works where users get it: `npm pack` (prepack builds dist/ and the linux-x64
# prebuild), install the tarball into an empty project (dependencies from the npm registry, nothing
# else), import 'voxelflow' and every other entry of its exports map (and no path outside it), run
# `voxelflow demo`, and check that `voxelflow doctor` says the kernels run native. Run by .ci/run;
# `npm run test:pack` runs it by hand. Exits non-zero with one line saying which step failed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
start=$SECONDS
work=$(mktemp -d "${TMPDIR:-/tmp}/voxelflow-pack-XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "check-pack: FAILED: $*" >&2; exit 1; }

echo "== check-pack: npm pack"
npm pack --pack-destination "$work" --silent >"$work/pack.out" 2>"$work/pack.err" || { cat "$work/pack.err" >&2; fail "npm pack"; }
tarball=$(find "$work" -maxdepth 1 -name 'voxelflow-*.tgz' | head -1)
[ -n "$tarball" ] || fail "npm pack wrote no voxelflow-*.tgz"
listing=$(tar -tzf "$tarball")
for f in package/dist/index.js package/bin/voxelflow.js package/cluster/protocol/voxelflow.proto \
  package/native/binding.gyp package/native/build.mjs package/native/src/addon.cc package/scripts/build-stamp.mjs; do
  grep -qx "$f" <<<"$listing" || fail "$f is not in $(basename "$tarball")"
done
grep -q '^package/native/prebuilds/linux-x64/node\.napi\.glibc\.node$' <<<"$listing" || [ "$(uname -m)" != x86_64 ] \
  || fail "no linux-x64 prebuild in $(basename "$tarball") (prepack: node native/build.mjs --prebuild)"
if grep -q '^package/test/\|^package/native/build/\|\.build-stamp\.json$' <<<"$listing"; then fail "the tarball carries tests or build leftovers"; fi
echo "== check-pack: $(basename "$tarball"), $(du -k "$tarball" | cut -f1) KiB, $(wc -l <<<"$listing") files"

app="$work/app"
mkdir "$app" && cd "$app"
npm init -y >/dev/null
echo "== check-pack: npm install the tarball into an empty project"
npm install --no-audit --no-fund "$tarball" >"$work/install.out" 2>&1 || { tail -20 "$work/install.out" >&2; fail "npm install $(basename "$tarball")"; }

node --input-type=module -e "
const vf = await import('voxelflow');
const ctx = await vf.Context.create({ master: 'local' });
const n = await ctx.range(0, 10).count();
await ctx.stop();
if (n !== 10) throw new Error('count gave ' + n);
for (const entry of ['imaging', 'streaming', 'cluster', 'table', 'ui', 'tomo']) {
  const m = await import('voxelflow/' + entry);
  if (Object.keys(m).length === 0) throw new Error('voxelflow/' + entry + ' exports nothing');
}
const internal = await import('voxelflow/dist/core/rdd.js').then(() => 'imported', (err) => err.code);
if (internal !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw new Error('a path outside the exports map gave ' + internal);
" || fail "import 'voxelflow' and each entry of its exports map from the installed tarball"

npx --no-install voxelflow demo --size 48 --master 'local[2]' --quiet --out "$work/demo" >"$work/demo.out" 2>&1 \
  || { cat "$work/demo.out" >&2; fail "voxelflow demo"; }
[ -s "$work/demo/stats.csv" ] || fail "voxelflow demo wrote no stats.csv"

doctor=$(npx --no-install voxelflow doctor 2>&1) || { echo "$doctor" >&2; fail "voxelflow doctor"; }
for k in threshold labelBlock boxFilter labelStats; do
  grep -qx "kernel $k: native (C++ addon)" <<<"$doctor" || { echo "$doctor" >&2; fail "voxelflow doctor: kernel $k is not native in the installed package"; }
done
cd "$root"
echo "== check-pack: passed in $((SECONDS - start)) s (import of every entry, demo, doctor: native kernels)"
