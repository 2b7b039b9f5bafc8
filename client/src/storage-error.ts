// S3 answers a refused upload with XML: <Error><Code>SignatureDoesNotMatch</Code><Message>…</Message></Error>.
import { ImageLabelsError } from './errors.js';

function element(xml: string, name: string): string | null {
  const match = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  return match ? match[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&') : null;
}

export function storageError(status: number, body: string): ImageLabelsError {
  const code = element(body, 'Code') ?? `HTTP ${status}`;
  const message = element(body, 'Message') ?? `Storage answered HTTP ${status}`;
  return new ImageLabelsError('Upload', code, message, { info: { status } });
}
