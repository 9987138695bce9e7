/**
 * electron-builder.yml cannot be exercised here (`npm run dist` needs the Electron download), so
 * this checks what can go wrong without it: the config against electron-builder's own schema,
 * every path it names, and that the bundle step produces what package.json "main" and the
 * packaged file list expect.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { PNG } from 'pngjs';
import { parse } from 'yaml';
import rendererConfig from '../../vite.renderer.config';
import {
  APP_ROOT,
  DEMO_MODEL_DIR,
  PACKAGED_DEMO_MODEL_NAME,
  RENDERER_DIST,
  demoModelDir,
} from '../app-service/app-paths';
import { buildElectronBundles, ELECTRON_OUT } from './electron-bundles';

interface ExtraResource {
  from: string;
  to: string;
  filter?: string[];
}
interface BuilderConfig {
  directories: { output: string; buildResources: string };
  files: string[];
  asarUnpack: string[];
  extraResources: ExtraResource[];
  linux: { target: string[]; icon: string };
  win: { target: string[]; icon: string };
  mac: { target: string[]; icon: string };
}

const config = parse(readFileSync(join(APP_ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const pkg = JSON.parse(readFileSync(join(APP_ROOT, 'package.json'), 'utf8')) as {
  main: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
};

/** The glob subset the config uses: `**` crosses folders, `*` stays inside one. */
function globToRegExp(glob: string): RegExp {
  const source = glob
    .split(/(\*\*\/|\*\*|\*)/)
    .map((part) =>
      part === '**/'
        ? '(?:.*/)?'
        : part === '**'
          ? '.*'
          : part === '*'
            ? '[^/]*'
            : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`);
}

/** Whether electron-builder's `files` list (positive globs, then `!` exclusions) takes `rel`. */
function packaged(rel: string): boolean {
  const positive = config.files.filter((g) => !g.startsWith('!'));
  const negative = config.files.filter((g) => g.startsWith('!')).map((g) => g.slice(1));
  // electron-builder leaves its own output and build-resources folders out of the app.
  for (const dir of [config.directories.output, config.directories.buildResources]) {
    if (rel === dir || rel.startsWith(`${dir}/`)) return false;
  }
  return (
    positive.some((g) => globToRegExp(g).test(rel)) &&
    !negative.some((g) => globToRegExp(g).test(rel))
  );
}

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema, which rejects a misspelled key", () => {
    const schemaPath = createRequire(import.meta.url).resolve('app-builder-lib/scheme.json');
    const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as object;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(config), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(validate({ ...config, asarUnpak: config.asarUnpack })).toBe(false);
  });

  it('builds AppImage and deb, nsis and dmg, with icons of at least 512x512', () => {
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.win.target).toContain('nsis');
    expect(config.mac.target).toContain('dmg');
    expect(existsSync(join(APP_ROOT, config.directories.buildResources))).toBe(true);
    for (const icon of [config.linux.icon, config.win.icon, config.mac.icon]) {
      expect(icon.startsWith('assets/'), icon).toBe(true);
      // macOS needs 512x512 at least; one PNG serves all three platforms.
      const png = PNG.sync.read(readFileSync(join(APP_ROOT, icon)));
      expect(Math.min(png.width, png.height), icon).toBeGreaterThanOrEqual(512);
    }
  });

  it('unpacks the native modules from the asar; both are production dependencies', () => {
    for (const name of ['onnxruntime-node', 'better-sqlite3']) {
      expect(config.asarUnpack).toContain(`node_modules/${name}/**`);
      expect(pkg.dependencies[name], name).toBeDefined();
      expect(existsSync(join(APP_ROOT, 'node_modules', name, 'package.json')), name).toBe(true);
    }
  });

  it('ships the demo model where the packaged app looks for it, and the sample PDFs', () => {
    for (const res of config.extraResources) {
      const from = join(APP_ROOT, res.from);
      expect(statSync(from).isDirectory(), res.from).toBe(true);
      const names = readdirSync(from, { recursive: true }).map(String);
      for (const pattern of res.filter ?? ['**/*']) {
        // Calibration files exist only once `calibrate` has run on the demo model.
        if (pattern.startsWith('calibration/')) continue;
        expect(
          names.some((n) => globToRegExp(pattern).test(n.split('\\').join('/'))),
          `${res.from}/${pattern}`,
        ).toBe(true);
      }
    }
    const model = config.extraResources.find((r) => resolve(APP_ROOT, r.from) === DEMO_MODEL_DIR);
    expect(model?.to).toBe(PACKAGED_DEMO_MODEL_NAME);
    expect(model?.filter).toEqual(expect.arrayContaining(['config.json', '*.safetensors']));
    expect(demoModelDir('/opt/KV Lens/resources')).toBe(
      join('/opt/KV Lens/resources', PACKAGED_DEMO_MODEL_NAME),
    );
    expect(demoModelDir(null)).toBe(DEMO_MODEL_DIR);
    expect(config.extraResources.some((r) => r.from === 'assets/samples')).toBe(true);
  });

  it('packages the renderer build and package.json', () => {
    expect(resolve(rendererConfig.build?.outDir ?? '')).toBe(RENDERER_DIST);
    expect(packaged(`${relative(APP_ROOT, RENDERER_DIST)}/index.html`)).toBe(true);
    expect(packaged('package.json')).toBe(true);
    expect(packaged('main/electron/main.ts')).toBe(false);
    expect(pkg.scripts.dist).toMatch(/build:renderer.*build:electron.*electron-builder/);
  });
});

describe('the Electron bundles (npm run build:electron)', () => {
  let out = '';
  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'kv-lens-bundles-'));
    await buildElectronBundles(out);
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('produce package.json "main" at the place electron-builder packages', () => {
    expect(pkg.main).toBe(`${relative(APP_ROOT, ELECTRON_OUT)}/main.mjs`);
    const built = readdirSync(out);
    expect(built).toContain(basename(pkg.main));
    for (const file of built)
      expect(packaged(`${pkg.main.replace(/[^/]+$/, '')}${file}`)).toBe(true);
  });

  it('hold every file the main bundle starts from its own folder', () => {
    const main = readFileSync(join(out, 'main.mjs'), 'utf8');
    const siblings = [...main.matchAll(/join\(here, "([^"]+)"\)/g)].map((m) => m[1]);
    expect(siblings).toEqual(expect.arrayContaining(['engine-entry.mjs', 'preload.cjs']));
    for (const file of siblings) expect(existsSync(join(out, file ?? '')), file).toBe(true);
  });

  it('import only Node built-ins, electron and production dependencies', () => {
    const bare = new Set<string>();
    for (const file of readdirSync(out)) {
      const text = readFileSync(join(out, file), 'utf8');
      for (const m of text.matchAll(/(?:from|import\(|require\()\s*["']([^"'./][^"']*)["']/g)) {
        const spec = m[1] ?? '';
        if (spec.startsWith('node:') || spec === 'electron') continue;
        bare.add(
          spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!,
        );
      }
    }
    expect(bare.size).toBeGreaterThan(0);
    // devDependencies are not packaged: a bundle importing one would fail only once installed.
    for (const name of bare) expect(pkg.dependencies[name], name).toBeDefined();
  });
});
