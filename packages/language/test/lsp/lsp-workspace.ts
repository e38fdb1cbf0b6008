/**
 * LSP test support: language services with the example packs (code catalog, Medicare, Acme PPO)
 * already loaded and built, so `langium/test` helpers can parse a policy that imports them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EmptyFileSystem, URI, type LangiumDocument } from 'langium';
import { createPayruleServices, type PayruleServices } from '../../src/payrule-module.js';
import { EXAMPLES } from '../policy-workspace.js';

export const PACKS = {
    catalog: 'cpt-therapy/therapy-codes.payrule',
    medicare: 'medicare/medicare.payrule',
    acme: 'acme-ppo/acme-ppo.payrule'
} as const;

/** `file:///packs/<path>`: where the example packs live in the in-memory workspace. */
export function packUri(path: string): URI {
    return URI.parse(`file:///packs/${path}`);
}

export interface PackWorkspace {
    services: PayruleServices;
    documents: Record<keyof typeof PACKS, LangiumDocument>;
}

/**
 * Services with the three example packs loaded (and, optionally, more files given by name, at
 * `file:///work/<name>`). `packUriOf` places the packs elsewhere, e.g. in a node_modules folder.
 */
export async function packWorkspace(extra: Record<string, string> = {}, packUriOf: (path: string) => URI = packUri): Promise<PackWorkspace> {
    const { shared, Payrule } = createPayruleServices(EmptyFileSystem);
    const factory = shared.workspace.LangiumDocumentFactory;
    const load = (uri: URI, text: string) => {
        const document = factory.fromString(text, uri);
        shared.workspace.LangiumDocuments.addDocument(document);
        return document;
    };
    const documents = Object.fromEntries(Object.entries(PACKS).map(([key, path]) =>
        [key, load(packUriOf(path), readFileSync(join(EXAMPLES, path), 'utf8'))])) as PackWorkspace['documents'];
    const others = Object.entries(extra).map(([name, text]) => load(URI.parse(`file:///work/${name}`), text));
    await shared.workspace.DocumentBuilder.build([...Object.values(documents), ...others], { validation: true });
    return { services: Payrule, documents };
}

/** "<pack path>:<line>" of the first line of an example pack that contains `needle` (1-based, as tests print locations). */
export function at(pack: keyof typeof PACKS, needle: string): string {
    const lines = readFileSync(join(EXAMPLES, PACKS[pack]), 'utf8').split('\n');
    const index = lines.findIndex(line => line.includes(needle));
    if (index < 0) throw new Error(`'${needle}' is not in ${PACKS[pack]}`);
    return `${PACKS[pack]}:${index + 1}`;
}
