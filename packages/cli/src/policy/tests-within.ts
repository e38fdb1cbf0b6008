/** Which of a compiled policy's tests it ships: the ones written in the sources named, not those of the packs they import. */
import { isWithinPaths, type PolicyBundle } from '@payrule/engine';

/** The policy with only the tests written in `within` (paths as source locations write them): imported packs' tests are their authors' to run. */
export function withTestsWithin(bundle: PolicyBundle, within: readonly string[]): PolicyBundle {
    const { tests, ...policy } = bundle;
    const own = (tests ?? []).filter(test => isWithinPaths(test.location.file, within));
    return own.length > 0 ? { ...policy, tests: own } : policy;
}
