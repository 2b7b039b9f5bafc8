import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { detectImageType, MAGIC_BYTES_LENGTH } from '../../../functions/labelling/image-check.ts';

const FIXTURES = new URL('../../fixtures/images/', import.meta.url);

async function firstBytes(name: string): Promise<Uint8Array> {
  return (await readFile(new URL(name, FIXTURES))).subarray(0, MAGIC_BYTES_LENGTH);
}

describe('detectImageType', () => {
  it.each([
    ['rocket.jpg', 'image/jpeg'],
    ['chelsea.png', 'image/png'],
    ['horse.png', 'image/png'],
    ['truncated.jpg', 'image/jpeg'],
  ])('recognises %s as %s from its first bytes', async (name, type) => {
    expect(detectImageType(await firstBytes(name))).toBe(type);
  });

  it.each([
    ['text', new TextEncoder().encode('hello, not an image')],
    ['a GIF', new TextEncoder().encode('GIF89a')],
    ['nothing', new Uint8Array()],
    ['half a PNG signature', new Uint8Array([0x89, 0x50, 0x4e, 0x47])],
    ['two bytes of JPEG', new Uint8Array([0xff, 0xd8])],
  ])('says %s is not an image Rekognition reads', (_name, bytes) => {
    expect(detectImageType(bytes)).toBeNull();
  });
});
