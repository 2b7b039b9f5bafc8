// S3's error responses: an XML <Error> document with Code, Message, details, RequestId and HostId.

export interface S3ErrorSpec {
  status: number;
  code: string;
  message: string;
  /** Extra elements S3 adds for this error (e.g. X-Amz-Expires, StringToSign). */
  detail?: Record<string, string>;
}

export function s3Error(status: number, code: string, message: string, detail?: Record<string, string>): S3ErrorSpec {
  return detail ? { status, code, message, detail } : { status, code, message };
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function errorXml(error: S3ErrorSpec, requestId: string, hostId: string): string {
  const elements: Array<[string, string]> = [
    ['Code', error.code],
    ['Message', error.message],
    ...Object.entries(error.detail ?? {}),
    ['RequestId', requestId],
    ['HostId', hostId],
  ];
  return '<?xml version="1.0" encoding="UTF-8"?>\n<Error>' +
    elements.map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`).join('') +
    '</Error>';
}

export const ACCESS_DENIED = s3Error(403, 'AccessDenied', 'Access Denied');

/** A direct read of the store (LocalS3.readObject) that found nothing: `code` as GetObject would answer. */
export class S3ReadError extends Error {
  constructor(
    readonly code: 'NoSuchKey' | 'NoSuchBucket',
    object: string,
  ) {
    super(`${code}: ${object}`);
    this.name = 'S3ReadError';
  }
}
