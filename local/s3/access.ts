// What an S3 request asks of IAM: the action S3 authorizes it as, on the bucket or object ARN (path-style URLs:
// /bucket/key). HEAD of an object is s3:GetObject, as S3 authorizes it; the parts of a multipart upload are
// s3:PutObject. A presigned URL is authorized as its signer, when it is used.

export interface S3Access {
  action: string;
  resource: string;
}

const OBJECT_SUBRESOURCES: Record<string, Partial<Record<string, string>>> = {
  tagging: { GET: 's3:GetObjectTagging', PUT: 's3:PutObjectTagging', DELETE: 's3:DeleteObjectTagging' },
  acl: { GET: 's3:GetObjectAcl', PUT: 's3:PutObjectAcl' },
  uploadId: { GET: 's3:ListMultipartUploadParts', PUT: 's3:PutObject', POST: 's3:PutObject', DELETE: 's3:AbortMultipartUpload' },
  uploads: { POST: 's3:PutObject' },
};

const OBJECT_ACTIONS: Record<string, string> = { GET: 's3:GetObject', HEAD: 's3:GetObject', PUT: 's3:PutObject', DELETE: 's3:DeleteObject', POST: 's3:PutObject' };

const BUCKET_SUBRESOURCES: Record<string, string> = {
  uploads: 's3:ListBucketMultipartUploads',
  versions: 's3:ListBucketVersions',
  location: 's3:GetBucketLocation',
  cors: 's3:GetBucketCORS',
  delete: 's3:DeleteObject',
};

const BUCKET_ACTIONS: Record<string, string> = { GET: 's3:ListBucket', HEAD: 's3:ListBucket', PUT: 's3:CreateBucket', DELETE: 's3:DeleteBucket' };

export function s3Access(method: string, bucket: string, key: string | null, query: URLSearchParams): S3Access {
  const verb = method.toUpperCase();
  if (key === null) {
    const subresource = Object.keys(BUCKET_SUBRESOURCES).find((name) => query.has(name));
    const action = subresource ? BUCKET_SUBRESOURCES[subresource] : (BUCKET_ACTIONS[verb] ?? `s3:${verb}Bucket`);
    // A multi-object delete (POST ?delete) is authorized per object; every object of the bucket stands in for them.
    return { action, resource: subresource === 'delete' ? `arn:aws:s3:::${bucket}/*` : `arn:aws:s3:::${bucket}` };
  }
  const subresource = Object.keys(OBJECT_SUBRESOURCES).find((name) => query.has(name));
  const action = (subresource && OBJECT_SUBRESOURCES[subresource][verb]) ?? OBJECT_ACTIONS[verb] ?? `s3:${verb}Object`;
  return { action, resource: `arn:aws:s3:::${bucket}/${key}` };
}

/** S3's AccessDenied message for a request its signer's policies do not allow. */
export function s3AccessDeniedMessage(principalArn: string, access: S3Access): string {
  return `User: ${principalArn} is not authorized to perform: ${access.action} on resource: "${access.resource}" because no identity-based policy allows the ${access.action} action`;
}
