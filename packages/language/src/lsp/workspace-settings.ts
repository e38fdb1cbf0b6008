/**
 * Which sample session files a policy is checked against from the editor: the `payrule.sessions`
 * setting (paths relative to the workspace folder), or else the `sessions` list of the nearest
 * `payrule.json` above the policy file (paths relative to that file):
 *
 *     { "sessions": ["examples/sessions/week.csv"] }
 */
import { URI, UriUtils, type ConfigurationProvider, type FileSystemProvider, type WorkspaceManager } from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';

export const CONFIG_FILE = 'payrule.json';

export interface SessionsConfig {
    /** Absolute URIs of the session files, in the order configured. */
    sessions: URI[];
    /** Where they were configured: the payrule.json file, or `settings`. */
    from?: string;
}

export class PayruleWorkspaceSettings {
    protected readonly fileSystem: FileSystemProvider;
    protected readonly configuration: ConfigurationProvider;
    protected readonly workspaceManager: WorkspaceManager;

    constructor(shared: LangiumSharedServices) {
        this.fileSystem = shared.workspace.FileSystemProvider;
        this.configuration = shared.workspace.ConfigurationProvider;
        this.workspaceManager = shared.workspace.WorkspaceManager;
    }

    /** The workspace folder containing `uri`, if the client opened folders. */
    workspaceFolder(uri: URI): URI | undefined {
        const folders = (this.workspaceManager.workspaceFolders ?? []).map(folder => URI.parse(folder.uri));
        return folders
            .filter(folder => uri.toString().startsWith(folder.toString().replace(/\/?$/, '/')))
            .sort((a, b) => b.toString().length - a.toString().length)[0];
    }

    async sessionsFor(document: URI): Promise<SessionsConfig> {
        const fromSettings = await this.fromSettings(document);
        if (fromSettings.sessions.length > 0) return fromSettings;
        return this.fromConfigFile(document);
    }

    /** A session path as given in a command or configuration: absolute, a URI, or relative to `base`. */
    resolve(path: string, base: URI): URI {
        if (/^[a-z][a-z0-9+.-]+:\/\//i.test(path)) return URI.parse(path);
        if (path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path)) return URI.file(path);
        return UriUtils.resolvePath(base, path);
    }

    protected async fromSettings(document: URI): Promise<SessionsConfig> {
        let configured: unknown;
        try {
            configured = await this.configuration.getConfiguration('payrule', 'sessions');
        } catch {
            configured = undefined;
        }
        const paths = Array.isArray(configured) ? configured.filter((p): p is string => typeof p === 'string' && p.trim() !== '') : [];
        const base = this.workspaceFolder(document) ?? UriUtils.dirname(document);
        return { sessions: paths.map(path => this.resolve(path, base)), ...(paths.length > 0 ? { from: 'settings' } : {}) };
    }

    /** The nearest payrule.json from the policy's folder up to its workspace folder (or six levels). */
    protected async fromConfigFile(document: URI): Promise<SessionsConfig> {
        const root = this.workspaceFolder(document);
        let dir = UriUtils.dirname(document);
        for (let level = 0; level < 8; level++) {
            const file = UriUtils.joinPath(dir, CONFIG_FILE);
            if (await this.fileSystem.exists(file).catch(() => false)) {
                const paths = parseSessions(await this.fileSystem.readFile(file).catch(() => ''));
                return { sessions: paths.map(path => this.resolve(path, dir)), from: file.toString() };
            }
            const parent = UriUtils.dirname(dir);
            if ((root && dir.toString() === root.toString()) || parent.toString() === dir.toString() || (!root && level >= 5)) break;
            dir = parent;
        }
        return { sessions: [] };
    }
}

/** The `sessions` list of a payrule.json; a malformed file configures nothing. */
export function parseSessions(text: string): string[] {
    try {
        const json = JSON.parse(text) as { sessions?: unknown };
        const sessions = typeof json.sessions === 'string' ? [json.sessions] : json.sessions;
        return Array.isArray(sessions) ? sessions.filter((s): s is string => typeof s === 'string' && s.trim() !== '') : [];
    } catch {
        return [];
    }
}
