// The files `label` works on: each file named as it is, and the JPEG and PNG files under each folder named
// (recursively, by name, in a stable order). A path that does not exist is an error before anything is sent.
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';

export const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png']);

export class InputError extends Error {
  override readonly name = 'InputError';
}

async function imagesUnder(folder: string): Promise<string[]> {
  const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  const found: string[] = [];
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...(await imagesUnder(path)));
    else if (entry.isFile() && IMAGE_EXTENSIONS.has(extname(entry.name).toLowerCase())) found.push(path);
  }
  return found;
}

export async function expandInputs(inputs: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    const info = await stat(input).catch(() => null);
    if (!info) throw new InputError(`${input}: no such file or folder`);
    if (info.isDirectory()) {
      const images = await imagesUnder(input);
      if (images.length === 0) throw new InputError(`${input}: no .jpg, .jpeg or .png file in this folder`);
      files.push(...images);
    } else {
      files.push(input);
    }
  }
  return [...new Set(files)];
}
