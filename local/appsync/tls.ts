// A self-signed certificate for the local endpoint, so that clients which insist on https/wss (aws-amplify)
// connect. Generated at start (CN localhost; SAN localhost, 127.0.0.1, ::1); nothing is downloaded.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  key: string;
  cert: string;
}

export const SELF_SIGNED_VALIDITY_DAYS = 30;

export async function generateSelfSignedCertificate(now: Date = new Date()): Promise<TlsMaterial> {
  const notAfter = new Date(now.getTime() + SELF_SIGNED_VALIDITY_DAYS * 24 * 3600 * 1000);
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

/** Writes the certificate (never the key) where clients can pick it up, e.g. NODE_EXTRA_CA_CERTS. */
export async function writeCertificate(path: string, cert: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, cert, 'utf8');
}
