import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{app,main,renderer,native-models}/**/*.test.{ts,tsx}'],
    // Engine tests build ONNX graphs and run sessions; two cores are shared, so keep workers few.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
