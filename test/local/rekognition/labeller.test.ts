import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLabeller, RekognitionError, type Labeller } from '../../../local/rekognition/labeller.ts';
import { blankPng, fixture } from './fixtures.ts';

const ANIMALS = ['Bird', 'Cat', 'Dog', 'Horse', 'Sheep', 'Cow', 'Elephant', 'Bear', 'Zebra', 'Giraffe'];

describe('the local labeller on the fixture photos (real model)', () => {
  let labeller: Labeller;
  beforeAll(() => {
    labeller = createLabeller({ workers: 2 });
  });
  afterAll(() => labeller.close());

  it.each([
    ['chelsea.png', 'Cat', ['Pet', 'Mammal', 'Animal']],
    ['coffee.png', 'Cup', []],
    ['astronaut.png', 'Person', []],
    ['horse.png', 'Horse', ['Mammal', 'Animal']],
  ])('finds in %s the label %s (with parents %j) among the top five', async (file, name, parents) => {
    const { Labels } = await labeller.detectLabels({ bytes: fixture(file) });
    const top5 = Labels.slice(0, 5).map((l) => l.Name);
    expect(top5).toContain(name);
    const label = Labels.find((l) => l.Name === name);
    expect(label?.Confidence).toBeGreaterThanOrEqual(80);
    expect(label?.Parents.map((p) => p.Name)).toEqual(parents);
    expect(label?.Instances.length).toBeGreaterThanOrEqual(1);
  });

  it('never calls Chelsea the cat a dog, nor any other animal, even at MinConfidence 0', async () => {
    const { Labels } = await labeller.detectLabels({ bytes: fixture('chelsea.png'), minConfidence: 0 });
    const wrongAnimals = Labels.filter((l) => ANIMALS.includes(l.Name) && l.Name !== 'Cat');
    expect(wrongAnimals.filter((l) => l.Confidence >= 50)).toEqual([]);
  });

  it.each([
    ['a close crop of her face', (image: Sharp) => image.extract({ left: 90, top: 60, width: 271, height: 180 })],
    ['a greyscale copy', (image: Sharp) => image.greyscale()],
  ])('still calls Chelsea a cat, not a dog, in %s', async (_what, edit) => {
    const bytes = new Uint8Array(await edit(sharp(fixture('chelsea.png'))).png().toBuffer());
    const { Labels } = await labeller.detectLabels({ bytes });
    expect(Labels[0]?.Name).toBe('Cat');
    expect(Labels.map((l) => l.Name)).not.toContain('Dog');
  });

  it('reads a JPEG stored sideways with an EXIF orientation as it is displayed', async () => {
    // Stored rotated a quarter turn anticlockwise, tagged "rotate 90° clockwise to display".
    const sideways = await sharp(fixture('chelsea.png')).rotate(270).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const { Labels } = await labeller.detectLabels({ bytes: new Uint8Array(sideways) });
    const cat = Labels.find((l) => l.Name === 'Cat');
    expect(cat).toBeDefined();
    // Boxes are relative to the upright image (451×300): the cat's box is wider than tall.
    const { Width, Height } = cat!.Instances[0].BoundingBox;
    expect(Width * 451).toBeGreaterThan(Height * 300);
  });

  it('says nothing about the rocket rather than something wrong (no COCO class fits it)', async () => {
    const { Labels } = await labeller.detectLabels({ bytes: fixture('rocket.jpg') });
    expect(Labels).toEqual([]);
  });

  it('labels a greyscale copy of a photo as it labels the colour one', async () => {
    const grey = await sharp(fixture('astronaut.png')).greyscale().toColourspace('b-w').png().toBuffer();
    const { Labels } = await labeller.detectLabels({ bytes: new Uint8Array(grey) });
    expect(Labels.map((l) => l.Name)).toContain('Person');
  });

  it.each(['chelsea.png', 'coffee.png', 'astronaut.png', 'horse.png', 'rocket.jpg'])(
    'answers %s in Rekognition\'s shape: ranges, order, parents, boxes',
    async (file) => {
      const response = await labeller.detectLabels({ bytes: fixture(file), minConfidence: 0 });
      expect(response.LabelModelVersion).toBe('local-centernet-2.0');
      const confidences = response.Labels.map((l) => l.Confidence);
      expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
      const byName = new Map(response.Labels.map((l) => [l.Name, l]));
      for (const label of response.Labels) {
        expect(label.Confidence).toBeGreaterThanOrEqual(0);
        expect(label.Confidence).toBeLessThanOrEqual(100);
        expect(Array.isArray(label.Aliases) && Array.isArray(label.Categories)).toBe(true);
        for (const parent of label.Parents) expect(byName.get(parent.Name)?.Confidence).toBeGreaterThanOrEqual(label.Confidence);
        for (const { BoundingBox: b, Confidence } of label.Instances) {
          expect(Confidence).toBeLessThanOrEqual(label.Confidence);
          for (const v of [b.Left, b.Top, b.Width, b.Height]) expect(v).toBeGreaterThanOrEqual(0);
          expect(b.Left + b.Width).toBeLessThanOrEqual(1 + 1e-9);
          expect(b.Top + b.Height).toBeLessThanOrEqual(1 + 1e-9);
        }
      }
    },
  );

  it('honours MinConfidence and MaxLabels', async () => {
    const { Labels } = await labeller.detectLabels({ bytes: fixture('chelsea.png'), minConfidence: 20, maxLabels: 2 });
    expect(Labels).toHaveLength(2);
    expect(Labels[0].Name).toBe('Cat');
    expect(Labels.every((l) => l.Confidence >= 20)).toBe(true);
  });

  it.each([
    ['a truncated JPEG', () => fixture('truncated.jpg'), 'InvalidImageFormatException'],
    ['a text file', async () => new TextEncoder().encode('this is not an image'), 'InvalidImageFormatException'],
    ['an image 79 pixels wide', () => blankPng(79, 200), 'InvalidParameterException'],
    ['an image 10,001 pixels wide', () => blankPng(10_001, 100), 'InvalidParameterException'],
  ])('refuses %s with %s, not retryable', async (_what, bytes, name) => {
    const error = await labeller.detectLabels({ bytes: await bytes() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RekognitionError);
    expect(error).toMatchObject({ name, retryable: false });
  });

  it('refuses an image over 15 MB with ImageTooLargeException', async () => {
    const bytes = new Uint8Array(15 * 1024 * 1024 + 1);
    bytes.set(fixture('chelsea.png').subarray(0, 64));
    await expect(labeller.detectLabels({ bytes })).rejects.toMatchObject({ name: 'ImageTooLargeException' });
  });

  it('accepts an image of exactly 80 pixels a side, and says nothing about a plain fill', async () => {
    await expect(labeller.detectLabels({ bytes: await blankPng(80, 80) })).resolves.toMatchObject({ Labels: [] });
  });
});

describe('the local labeller under load', () => {
  it('throttles with a retryable ProvisionedThroughputExceededException when its queue is full', async () => {
    const labeller = createLabeller({ workers: 1, queueLimit: 1 });
    try {
      const bytes = fixture('coffee.png');
      const results = await Promise.allSettled(Array.from({ length: 4 }, () => labeller.detectLabels({ bytes })));
      const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as RekognitionError);
      expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
      expect(refused.length).toBeGreaterThanOrEqual(1);
      for (const error of refused) expect(error).toMatchObject({ name: 'ProvisionedThroughputExceededException', retryable: true });
    } finally {
      await labeller.close();
    }
  });

  it('finishes queued work before it closes, then refuses new work', async () => {
    const labeller = createLabeller({ workers: 1 });
    const pending = labeller.detectLabels({ bytes: fixture('horse.png') });
    await labeller.close();
    await expect(pending).resolves.toMatchObject({ Labels: expect.arrayContaining([expect.objectContaining({ Name: 'Horse' })]) });
    await expect(labeller.detectLabels({ bytes: fixture('horse.png') })).rejects.toBeInstanceOf(RekognitionError);
  });
});
