import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests run against the TypeScript sources of each package, so a stale build never hides a change.
const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
    resolve: {
        alias: {
            '@payrule/engine': source('./packages/engine/src/index.ts'),
            '@payrule/language/node': source('./packages/language/src/node/index.ts'),
            '@payrule/language': source('./packages/language/src/index.ts')
        }
    },
    test: {
        include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
        testTimeout: 30_000,
        pool: 'forks'
    }
});
