/**
 * `voxelflow reconstruct <input>`: tomographic reconstruction of a DXchange HDF5 file or of `.npy` /
 * TIFF projection stacks, written (--out) and, with analyze's --above/--below, labeled and measured in
 * the same run: the reconstruction is the input image of `analyze`'s pipeline (cli/analyze.ts), whose
 * other flags all apply. The centre is always reported, found or given.
 */
import { resolve } from 'node:path';
import { ConfigError, type Context } from '../core/index.js';
import { ImageFormatError, isImageFormatError } from '../imaging/io/index.js';
import { FILTER_NAMES, FRAME_AVERAGES, openScan, type PaganinParams, type ReconstructOptions, type ScanOptions, type TomoScan } from '../tomo/index.js';
import '../tomo/index.js';
import { HELP as ANALYZE_HELP, parseFlags } from './analyze-flags.js';
import { runAnalysis } from './analyze.js';
import { badValue, enumFlag, integerFlag, numberFlag, parseCommandLine, rangeFlag, UsageError } from './flags.js';
import { centerFlag, filterFlag } from './tomo-flags.js';

export const HELP = `usage: voxelflow reconstruct <input> [options]

Reconstructs a parallel-beam tomography scan by filtered back-projection (scikit-image iradon's
geometry) and, with --above and/or --below, labels and measures the volume in the same run. The input
is a DXchange HDF5 file (/exchange/data, data_white, data_dark, theta in degrees) or a .npy / TIFF
stack of projections [angle][row][column] with --flats, --darks and the angles.

  --flats F                open-beam frames (stack); HDF5 input: overrides /exchange/data_white
  --flats-after F          open-beam frames taken after the scan (flats interpolated by projection index)
  --darks F                dark frames (stack); HDF5 input: overrides /exchange/data_dark
  --no-flat                no dark/flat correction: the projections are transmission already
  --angles A0:A1           projections evenly spaced over [A0, A1) degrees
  --theta F.npy            one angle per projection, degrees (HDF5 input: default /exchange/theta)
  --center C|auto          rotation axis in detector columns (default auto: found and printed)
  --filter NAME            ${FILTER_NAMES.join(', ')} (default ramp)
  --average mean|median    how darks and flats are averaged (default mean)
  --dezinger T             replace pixels above their 3x3 median by more than T (transmission)
  --paganin E,Z,P,R        Paganin phase retrieval before -log: energy keV, distance mm, pixel um, delta/beta
  --rings W                ring removal: Vo's sorting-based stripe removal, median window W columns (odd, e.g. 21)
  --rows R0:R1             reconstruct detector rows [R0, R1) only
  --slab-rows N            slices per block (default: about 8 MB per block)
  --out FILE               write the f32 volume [row][y][x] (.npy, .tif or .zarr)
  --json                   print { shape, dtype, center, components?, timings_ms } on stdout

Label and measure with analyze's flags (see below): --above/--below, --box, --connectivity, --labels,
--stats, --preview, --master, ...

${ANALYZE_HELP.split('\n').slice(6).join('\n')}`;

/** The flags only reconstruct takes, with whether each takes a value. */
const TOMO_FLAGS: Readonly<Record<string, boolean>> = {
  flats: true, 'flats-after': true, darks: true, 'no-flat': false, angles: true, theta: true, center: true,
  filter: true, average: true, dezinger: true, rings: true, paganin: true, rows: true, 'slab-rows': true, out: true,
};

/** Splits argv into reconstruct's own flags and the rest (analyze's). */
function splitArgs(argv: string[]): { own: string[]; rest: string[] } {
  const own: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = /^--([a-z-]+)(=|$)/.exec(arg)?.[1];
    if (name !== undefined && TOMO_FLAGS[name] !== undefined) {
      own.push(arg);
      if (TOMO_FLAGS[name] && !arg.includes('=') && i + 1 < argv.length) own.push(argv[++i]!);
    } else {
      rest.push(arg);
    }
  }
  return { own, rest };
}

interface TomoFlags {
  scan: ScanOptions;
  reconstruct: ReconstructOptions;
  out: string | null;
}

function parseTomoFlags(own: string[]): TomoFlags {
  const specs = Object.fromEntries(Object.entries(TOMO_FLAGS).map(([k, takesValue]) => [k, { type: takesValue ? 'string' : 'boolean' }])) as Record<string, { type: 'string' | 'boolean' }>;
  const v = parseCommandLine('reconstruct', own, specs, { positionals: false }).values as Record<string, string | boolean | undefined>;
  const str = (k: string): string | undefined => v[k] as string | undefined;
  const scan: { -readonly [K in keyof ScanOptions]: ScanOptions[K] } = {};
  for (const [flag, key] of [['flats', 'flats'], ['flats-after', 'flatsAfter'], ['darks', 'darks'], ['theta', 'theta']] as const) {
    const value = str(flag);
    if (value !== undefined) scan[key] = resolve(value);
  }
  if (v['no-flat'] === true) {
    if (scan.flats !== undefined) throw new UsageError('--no-flat and --flats contradict each other; give one');
    scan.noFlat = true;
  }
  if (str('angles') !== undefined) {
    if (scan.theta !== undefined) throw new UsageError('give either --angles A0:A1 or --theta FILE, not both', '--angles');
    scan.angles = rangeFlag('angles', str('angles')!, 'A0:A1 in degrees, e.g. 0:180 (projections evenly spaced over [A0, A1))', { increasing: false });
  }

  const reconstruct: { -readonly [K in keyof ReconstructOptions]: ReconstructOptions[K] } = {};
  const opt = <T>(flag: string, parse: (text: string) => T): T | undefined => (str(flag) === undefined ? undefined : parse(str(flag)!));
  const center = opt('center', centerFlag);
  if (center !== undefined && center !== 'auto') reconstruct.center = center;
  const filter = opt('filter', filterFlag);
  if (filter !== undefined) reconstruct.filter = filter;
  const average = opt('average', (t) => enumFlag('average', t, FRAME_AVERAGES));
  if (average !== undefined) reconstruct.average = average;
  const dezinger = opt('dezinger', (t) => numberFlag('dezinger', t, { above: 0, want: 'a positive threshold (transmission)' }));
  if (dezinger !== undefined) reconstruct.dezinger = dezinger;
  const paganin = opt('paganin', paganinFlag);
  if (paganin !== undefined) reconstruct.paganin = paganin;
  const rings = opt('rings', (t) => integerFlag('rings', t, { min: 1, want: 'an odd window width in columns (e.g. 21)' }));
  if (rings !== undefined && rings % 2 === 0) throw badValue('rings', 'an odd window width in columns (e.g. 21)', String(rings));
  if (rings !== undefined) reconstruct.rings = rings;
  const rows = opt('rows', (t) => rangeFlag('rows', t, 'R0:R1 with R0 < R1 (detector rows [R0, R1))', { integer: true }));
  if (rows !== undefined) reconstruct.rows = rows;
  const slab = opt('slab-rows', (t) => integerFlag('slab-rows', t, { min: 1, want: 'a whole number >= 1' }));
  if (slab !== undefined) reconstruct.rowsPerBlock = slab;
  const out = str('out') ?? null;
  if (out !== null && !/\.(npy|tiff?|zarr)$/i.test(out)) throw new UsageError(`--out must end in .npy, .tif or .zarr, got '${out}'`, '--out');
  return { scan, reconstruct, out };
}

/** `--paganin E,Z,P,R`: four positive numbers. */
function paganinFlag(text: string): PaganinParams {
  const parts = text.split(',').map(Number);
  if (parts.length !== 4 || parts.some((x) => !Number.isFinite(x) || x <= 0)) throw badValue('paganin', 'energy_keV,distance_mm,pixel_um,delta_over_beta (four positive numbers, e.g. 20,100,1.3,250)', text);
  return { energyKeV: parts[0]!, distanceMm: parts[1]!, pixelUm: parts[2]!, deltaOverBeta: parts[3]! };
}

/** A file problem or a bad option as the one line of a usage error. */
function asUsage(err: unknown): unknown {
  if (err instanceof ImageFormatError || isImageFormatError(err)) return new UsageError((err as Error).message);
  if (err instanceof TypeError || err instanceof ConfigError) return new UsageError((err as Error).message);
  return err;
}

export async function runReconstruct(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  const { own, rest } = splitArgs(argv);
  const t = parseTomoFlags(own);
  const a = parseFlags(rest, { thresholdOptional: true, command: 'reconstruct' });
  if (a === 'help') {
    console.log(HELP);
    return 0;
  }
  if (a.synthetic !== null) throw new UsageError('reconstruct reads a scan file; synthetic inputs are for analyze (try simulate-beamline --tomo for a scan)');
  if (a.above === null && a.below === null && t.out === null && a.preview === null) throw new UsageError('nothing to do: give --out FILE to write the volume, and/or --above/--below to label and measure it');
  if (a.block !== null) throw new UsageError('--block does not apply to reconstructions (blocks are slabs of whole slices); use --slab-rows N');
  a.out = t.out;
  let scan: TomoScan | null = null;
  return runAnalysis(a, {
    check: async () => {
      try {
        scan = await openScan(a.input, t.scan);
      } catch (err) {
        throw asUsage(err);
      }
    },
    read: async (ctx: Context) => {
      try {
        const rec = await ctx.tomo.fromScan(scan!, t.reconstruct);
        const facts: Record<string, number> = { center: rec.center };
        if (rec.centerEstimate !== null) facts['center_phase_correlation'] = rec.centerEstimate.phaseCorrelation;
        // Always on stderr too: a wrong centre is the most common silent failure of reconstructions.
        if (!a.json) process.stderr.write(`voxelflow reconstruct: centre ${rec.center.toFixed(2)} columns (${rec.centerEstimate !== null ? `auto: phase correlation ${rec.centerEstimate.phaseCorrelation.toFixed(2)}, refined by Vo's metric` : 'given'})\n`);
        return { image: rec.image, facts };
      } catch (err) {
        throw asUsage(err);
      }
    },
  });
}
