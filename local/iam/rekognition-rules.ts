// What a Rekognition request asks of IAM: `rekognition:<Operation>`, which has no resource-level permissions (`*`),
// and for an image in S3, the caller's own s3:GetObject on the object: Rekognition reads it with the caller's
// permissions, and answers InvalidS3ObjectException when it cannot.
import type { AccessControl } from './access.ts';
import type { Refusal, SignedRequest } from './aws-json-front.ts';
import { TARGET_PREFIX } from '../rekognition/aws-json.ts';

/** The S3 object an operation reads its image from, as an ARN; undefined for bytes sent inline. */
export function imageObjectArn(body: Record<string, unknown>): string | undefined {
  const image = body.Image as { S3Object?: { Bucket?: unknown; Name?: unknown } } | undefined;
  const object = image?.S3Object;
  if (typeof object?.Bucket !== 'string' || typeof object.Name !== 'string') return undefined;
  return `arn:aws:s3:::${object.Bucket}/${object.Name}`;
}

export function rekognitionRule(access: AccessControl) {
  return (request: SignedRequest): Refusal | null => {
    const operation = request.target.startsWith(TARGET_PREFIX) ? request.target.slice(TARGET_PREFIX.length) : request.target;
    const decision = access.decide(request.accessKeyId, `rekognition:${operation}`, '*');
    if (!decision.allowed) {
      return { status: 400, type: 'AccessDeniedException', message: decision.message };
    }
    const object = imageObjectArn(request.body ?? {});
    if (object !== undefined && !access.decide(request.accessKeyId, 's3:GetObject', object).allowed) {
      return {
        status: 400,
        type: 'InvalidS3ObjectException',
        message: 'Unable to get object metadata from S3. Check object key, region and/or access permissions.',
      };
    }
    return null;
  };
}
