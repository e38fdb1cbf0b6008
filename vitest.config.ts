import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests run against the TypeScript sources of each package, so a stale build never hides a change.
const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
    resolve: {
        alias: {
            '@payrule/engine': source('./packages/engine/src/index.ts'),
            '@payrule/language/node': source('./packages/language/src/node/index.ts'),
            '@payrule/language/packs': source('./packages/language/src/node/packs.ts'),
            '@payrule/language': source('./packages/language/src/index.ts')
        }
    },
    test: {
        include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
        testTimeout: 30_000,
        // The command lines the tests start keep compiled policies here, not in the user's cache folder.
        env: { PAYRULE_CACHE_DIR: join(tmpdir(), 'payrule-test-cache') },
        pool: 'forks'
    }
});
