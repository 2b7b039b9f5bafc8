// What survives a restart of the local cloud, and what an expired upload URL gets.
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local/cloud.ts';
import { createBlob, curlUpload, fixture, FIXTURES, getBlob, putBytes, removeDataDir, startTestCloud, subscribeLabelsReady } from './support/local-service.ts';
import { signIn, signUp } from './support/users.ts';

describe('the local cloud across restarts', () => {
  const clouds: LocalCloud[] = [];

  afterAll(async () => {
    for (const cloud of clouds) await cloud.close();
    if (clouds[0]) await removeDataDir(clouds[0]);
  });

  it('keeps blobs, their labels, the user pool and its users when restarted on the same data directory', async () => {
    const first = await startTestCloud();
    clouds.push(first);
    const user = await signUp(first);
    const { blob, upload } = (await createBlob(first, { contentType: 'image/png' }, user)).data!.createBlob;
    const subscription = await subscribeLabelsReady(first, blob.id, user);
    await curlUpload(upload, `${FIXTURES}coffee.png`);
    const labelled = await subscription.next();
    subscription.close();
    await first.uploadsIdle();
    await first.close();

    // The same ports: the issuer of the tokens names the user pool's.
    const second = await startTestCloud(first.dataDir, { ports: first.ports });
    clouds.push(second);
    const signedInAgain = await signIn(second, user.email);

    expect(second.userPool).toEqual(first.userPool);
    expect(signedInAgain.sub).toBe(user.sub);
    // A token issued before the restart is still accepted (same pool, same key, same issuer).
    const reread = await getBlob(second, blob.id, user);
    expect(await getBlob(second, blob.id, signedInAgain)).toEqual(reread);
    expect(reread!.status).toBe('LABELLED');
    expect(reread!.labels).toEqual(labelled.labels);
  });
});

describe('an upload URL past its expiry', () => {
  let cloud: LocalCloud | undefined;

  afterAll(async () => {
    await cloud?.close();
    if (cloud) await removeDataDir(cloud);
  });

  it('is refused with AccessDenied "Request has expired", as S3 refuses it', async () => {
    cloud = await startTestCloud();
    const s3 = new S3Client({
      region: cloud.region,
      endpoint: cloud.s3Endpoint,
      forcePathStyle: true,
      credentials: cloud.credentials,
      requestChecksumCalculation: 'WHEN_REQUIRED',
    });
    const signedTwentyMinutesAgo = new Date(Date.now() - 20 * 60 * 1000);
    const url = await getSignedUrl(s3, new PutObjectCommand({ Bucket: cloud.bucket, Key: `${cloud.stage}/expired-upload`, ContentType: 'image/png' }), {
      expiresIn: 900,
      signingDate: signedTwentyMinutesAgo,
    });

    const response = await putBytes(url, { 'content-type': 'image/png' }, await fixture('horse.png'));

    expect(response.status).toBe(403);
    expect(response.body).toContain('<Code>AccessDenied</Code>');
    expect(response.body).toContain('Request has expired');
  });
});
