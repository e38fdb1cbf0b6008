/**
 * Langium's view of the disk for the command line's loading of policies: the same reads as
 * Langium's NodeFileSystemProvider, through file-reads.ts, so that what Langium reads (each
 * policy file's text) is recorded with everything else the loading reads.
 */
import { UriUtils, type FileSystemNode, type FileSystemProvider, type URI } from 'langium';
import { listFolder, pathExists, readBytes, readText, statPath } from './file-reads.js';

export class PolicyFileSystemProvider implements FileSystemProvider {
    async stat(uri: URI): Promise<FileSystemNode> {
        return this.statSync(uri);
    }

    statSync(uri: URI): FileSystemNode {
        const stat = statPath(uri.fsPath);
        return { isFile: stat.isFile, isDirectory: stat.isDirectory, uri };
    }

    async exists(uri: URI): Promise<boolean> {
        return this.existsSync(uri);
    }

    existsSync(uri: URI): boolean {
        return pathExists(uri.fsPath);
    }

    async readBinary(uri: URI): Promise<Uint8Array> {
        return this.readBinarySync(uri);
    }

    readBinarySync(uri: URI): Uint8Array {
        return readBytes(uri.fsPath);
    }

    async readFile(uri: URI): Promise<string> {
        return this.readFileSync(uri);
    }

    readFileSync(uri: URI): string {
        return readText(uri.fsPath);
    }

    async readDirectory(uri: URI): Promise<FileSystemNode[]> {
        return this.readDirectorySync(uri);
    }

    readDirectorySync(uri: URI): FileSystemNode[] {
        return listFolder(uri.fsPath).map(entry => ({ isFile: entry.isFile, isDirectory: entry.isDirectory, uri: UriUtils.joinPath(uri, entry.name) }));
    }
}

/** The module createPayruleServices takes for it, in place of Langium's NodeFileSystem. */
export const PolicyFileSystem = {
    fileSystemProvider: () => new PolicyFileSystemProvider()
};
