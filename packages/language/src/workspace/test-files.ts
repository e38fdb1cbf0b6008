/**
 * Policy tests live in files named `*.tests.payrule` (docs/reference.md, Tests). A run that only
 * checks sessions (`payrule check`) leaves such files unread unless they are named by their path,
 * so a declaration in one is missing from the check: the validator says so.
 */
export const TEST_FILE_SUFFIX = '.tests.payrule';

export function isTestFile(path: string): boolean {
    return path.endsWith(TEST_FILE_SUFFIX);
}
