import { describe, it, expect } from 'vitest';
import { DEJAVU_SANS, DROID_FALLBACK, requireFont } from './fonts';

describe('test fonts', () => {
  it('are installed (the corpus for non-Latin scripts needs them)', () => {
    expect(requireFont(DEJAVU_SANS)).toBe(DEJAVU_SANS.path);
    expect(requireFont(DROID_FALLBACK)).toBe(DROID_FALLBACK.path);
  });

  it('name the package to install when missing', () => {
    expect(() =>
      requireFont({ path: '/nonexistent/font.ttf', debianPackage: 'fonts-example' }),
    ).toThrow(
      'Test font /nonexistent/font.ttf is missing. Install it with: apt-get install -y fonts-example',
    );
  });
});
