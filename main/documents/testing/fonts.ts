/**
 * System fonts the generated test corpus needs for non-Latin scripts and ligatures.
 *
 * Missing fonts fail loudly with the Debian package that provides them: a test that silently
 * skipped CJK or Arabic would hide exactly the regressions it exists to catch.
 */
import { existsSync } from 'node:fs';

export interface TestFont {
  path: string;
  /** Debian package that installs it. */
  debianPackage: string;
}

/** DejaVu Sans: Latin with fi/fl ligature glyphs, Cyrillic, Arabic. */
export const DEJAVU_SANS: TestFont = {
  path: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  debianPackage: 'fonts-dejavu-core',
};

/** Droid Sans Fallback: CJK ideographs. */
export const DROID_FALLBACK: TestFont = {
  path: '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf',
  debianPackage: 'fonts-droid-fallback',
};

/** The font's path; throws naming the package to install when it is absent. */
export function requireFont(font: TestFont): string {
  if (!existsSync(font.path)) {
    throw new Error(
      `Test font ${font.path} is missing. Install it with: apt-get install -y ${font.debianPackage}`,
    );
  }
  return font.path;
}
