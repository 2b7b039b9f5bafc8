import { describe, expect, it } from 'vitest';
import { fusePasses, iou, nonMaxSuppression, suppressExclusiveClasses } from '../../../local/rekognition/boxes.ts';
import { thresholdFor, toConfidence } from '../../../local/rekognition/calibration.ts';
import { decodeCenterNet } from '../../../local/rekognition/decode-centernet.ts';
import { flipHorizontally, letterboxFor, toImageBox } from '../../../local/rekognition/letterbox.ts';
import { sniffImageFormat, validateRequest } from '../../../local/rekognition/limits.ts';
import { needsSecondLook } from '../../../local/rekognition/postprocess.ts';
import { ancestorsOf, COCO_CLASSES, labelInfo } from '../../../local/rekognition/taxonomy.ts';
import { toDetectLabelsResponse } from '../../../local/rekognition/to-response.ts';
import type { Detection } from '../../../local/rekognition/types.ts';

const CAT = COCO_CLASSES.findIndex((c) => c.coco === 'cat');
const DOG = COCO_CLASSES.findIndex((c) => c.coco === 'dog');
const HORSE = COCO_CLASSES.findIndex((c) => c.coco === 'horse');
const CUP = COCO_CLASSES.findIndex((c) => c.coco === 'cup');
const box = (Left: number, Top: number, Width: number, Height: number) => ({ Left, Top, Width, Height });
const det = (classIndex: number, score: number, b = box(0.1, 0.1, 0.5, 0.5)): Detection => ({ classIndex, score, box: b });

describe('letterbox geometry', () => {
  it('centres a landscape image and pads above and below', () => {
    expect(letterboxFor(600, 400, 512)).toEqual({ size: 512, width: 512, height: 341, left: 0, top: 85 });
  });

  it('shrinks the image further inside the square for a zoomed-out view', () => {
    expect(letterboxFor(600, 400, 512, 0.5)).toEqual({ size: 512, width: 256, height: 171, left: 128, top: 170 });
  });

  it('maps a box from input pixels back to ratios of the image', () => {
    const lb = letterboxFor(600, 400, 512);
    const b = toImageBox(lb, 128, 85, 384, 85 + 341);
    expect(b.Left).toBeCloseTo(0.25);
    expect(b.Width).toBeCloseTo(0.5);
    expect(b.Top).toBeCloseTo(0);
    expect(b.Height).toBeCloseTo(1);
  });

  it('clips boxes that reach into the padding to the image', () => {
    const b = toImageBox(letterboxFor(600, 400, 512), -10, 0, 600, 512);
    expect(b).toEqual({ Left: 0, Top: 0, Width: 1, Height: 1 });
  });

  it('mirrors pixels left to right', () => {
    const pixels = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect([...flipHorizontally(pixels, 2)]).toEqual([4, 5, 6, 1, 2, 3, 10, 11, 12, 7, 8, 9]);
  });
});

describe('decoding CenterNet rows', () => {
  const lb = letterboxFor(512, 512, 512);

  it('keeps rows at or above the minimum score and reads their class and box', () => {
    const rows = new Float32Array([0, 0, 256, 512, 0.5, CAT, 0, 0, 10, 10, 0.05, DOG]);
    expect(decodeCenterNet(rows, lb, { minScore: 0.1 })).toEqual([{ classIndex: CAT, score: 0.5, box: box(0, 0, 0.5, 1) }]);
  });

  it('mirrors boxes back when the pass ran on the flipped image', () => {
    const rows = new Float32Array([0, 0, 128, 512, 0.5, CAT]);
    const [d] = decodeCenterNet(rows, lb, { minScore: 0.1, flipped: true });
    expect(d.box.Left).toBeCloseTo(0.75);
    expect(d.box.Width).toBeCloseTo(0.25);
  });

  it('drops rows without a class and boxes that lie only in the padding', () => {
    const wide = letterboxFor(600, 300, 512);
    const rows = new Float32Array([0, 0, 10, 10, 0.9, Number.NaN, 0, 0, 512, 100, 0.9, CAT]);
    expect(decodeCenterNet(rows, wide, { minScore: 0.1 })).toEqual([]);
  });
});

describe('box post-processing', () => {
  it('measures overlap as intersection over union', () => {
    expect(iou(box(0, 0, 0.5, 0.5), box(0, 0, 0.5, 0.5))).toBeCloseTo(1);
    expect(iou(box(0, 0, 0.5, 0.5), box(0.25, 0, 0.5, 0.5))).toBeCloseTo(1 / 3);
    expect(iou(box(0, 0, 0.2, 0.2), box(0.5, 0.5, 0.2, 0.2))).toBe(0);
  });

  it('keeps one box per object and class, the strongest', () => {
    const kept = nonMaxSuppression([det(CAT, 0.4), det(CAT, 0.5), det(CAT, 0.3, box(0.7, 0.7, 0.2, 0.2)), det(DOG, 0.2)], 0.5);
    expect(kept.map((d) => [d.classIndex, d.score])).toEqual([[CAT, 0.5], [CAT, 0.3], [DOG, 0.2]]);
  });

  it('never lets a weaker animal class describe the same object as a stronger one', () => {
    const groupOf = (i: number) => COCO_CLASSES[i].exclusiveGroup;
    const kept = suppressExclusiveClasses([det(DOG, 0.45), det(CAT, 0.5), det(CUP, 0.3), det(HORSE, 0.4, box(0.7, 0.7, 0.2, 0.2))], groupOf, 0.6);
    expect(kept.map((d) => d.classIndex)).toEqual([CAT, HORSE, CUP]);
  });

  it.each([
    ['mean', [[CAT, 0.5], [DOG, 0.1]]],
    ['max', [[CAT, 0.6], [DOG, 0.2]]],
  ] as const)('fuses the views of one image by the %s of their scores', (fusion, expected) => {
    const fused = fusePasses([[det(CAT, 0.6), det(DOG, 0.2, box(0.6, 0.6, 0.3, 0.3))], [det(CAT, 0.4, box(0.12, 0.1, 0.5, 0.5))]], 0.5, fusion);
    expect(fused.map((d) => [d.classIndex, Number(d.score.toFixed(3))])).toEqual(expected);
    expect(fused[0].box.Left).toBeCloseTo(0.1 * 0.6 + 0.12 * 0.4);
  });
});

describe('calibration', () => {
  it('reads a raw score at its class threshold as 50 and rises monotonically', () => {
    expect(toConfidence(thresholdFor(CAT), CAT)).toBeCloseTo(50);
    expect(toConfidence(0.6, CAT)).toBeGreaterThan(90);
    expect(toConfidence(0.2, CAT)).toBeLessThan(30);
  });

  it('asks more of classes the detector hallucinates on discs and textures', () => {
    const umbrella = COCO_CLASSES.findIndex((c) => c.coco === 'umbrella');
    expect(thresholdFor(umbrella)).toBeGreaterThan(thresholdFor(CAT));
  });
});

describe('the second look', () => {
  it('is taken when the first view sees an animal, which close-ups get wrong, trusting any first sighting', () => {
    expect(needsSecondLook([{ classIndex: DOG, confidence: 80, box: box(0, 0, 0.2, 0.2) }])).toEqual({ trustFirst: 0 });
  });

  it('is taken for any large box, even a weak one, keeping best scores only for what the full view found credible', () => {
    expect(needsSecondLook([{ classIndex: CUP, confidence: 20, box: box(0, 0, 0.6, 0.6) }])).toEqual({ trustFirst: 0.35 });
  });

  it('is skipped for small boxes of other objects and for faint animals', () => {
    expect(needsSecondLook([{ classIndex: CUP, confidence: 90, box: box(0, 0, 0.3, 0.3) }])).toBeUndefined();
    expect(needsSecondLook([{ classIndex: CAT, confidence: 10, box: box(0, 0, 0.3, 0.3) }])).toBeUndefined();
  });
});

describe('taxonomy', () => {
  it('names COCO classes as Rekognition does', () => {
    const names = Object.fromEntries(COCO_CLASSES.map((c) => [c.coco, c.name]));
    expect(COCO_CLASSES).toHaveLength(80);
    expect(names).toMatchObject({ person: 'Person', cup: 'Cup', 'dining table': 'Dining Table', tv: 'TV', 'cell phone': 'Mobile Phone', motorcycle: 'Motorcycle' });
  });

  it.each([
    ['Cat', ['Pet', 'Mammal', 'Animal']],
    ['Dog', ['Pet', 'Canine', 'Animal', 'Mammal']],
    ['Car', ['Vehicle', 'Transportation']],
    ['Person', []],
    ['Cup', []],
  ])('gives %s the ancestors %j', (name, ancestors) => {
    expect(ancestorsOf(name)).toEqual(ancestors);
  });

  it('defines every parent it refers to', () => {
    for (const k of COCO_CLASSES) for (const parent of ancestorsOf(k.name)) expect(labelInfo(parent), parent).toBeDefined();
  });
});

describe('building the DetectLabels response', () => {
  const detections = [
    { classIndex: CAT, confidence: 90, box: box(0, 0, 0.5, 0.5) },
    { classIndex: CAT, confidence: 70, box: box(0.5, 0.5, 0.5, 0.5) },
    { classIndex: HORSE, confidence: 95, box: box(0, 0, 1, 1) },
    { classIndex: DOG, confidence: 40, box: box(0, 0, 1, 1) },
  ];

  it('groups instances per label and gives parents the confidence of their best child', () => {
    const { Labels } = toDetectLabelsResponse(detections, { minConfidence: 55 });
    const byName = Object.fromEntries(Labels.map((l) => [l.Name, l]));
    expect(byName.Cat.Instances.map((i) => i.Confidence)).toEqual([90, 70]);
    expect(byName.Cat.Parents).toEqual([{ Name: 'Pet' }, { Name: 'Mammal' }, { Name: 'Animal' }]);
    expect(byName.Mammal.Confidence).toBe(95);
    expect(byName.Pet.Confidence).toBe(90);
    expect(byName.Pet.Instances).toEqual([]);
    expect(byName.Dog).toBeUndefined();
    expect(byName.Cat.Categories).toEqual([{ Name: 'Animals and Pets' }]);
  });

  it('sorts by confidence with detected labels before their parents on ties', () => {
    const { Labels } = toDetectLabelsResponse(detections, { minConfidence: 55 });
    expect(Labels.map((l) => l.Name)).toEqual(['Horse', 'Animal', 'Mammal', 'Cat', 'Pet']);
  });

  it('cuts the list at MaxLabels and reports the model version', () => {
    const response = toDetectLabelsResponse(detections, { minConfidence: 0, maxLabels: 2 });
    expect(response.Labels.map((l) => l.Name)).toEqual(['Horse', 'Animal']);
    expect(response.LabelModelVersion).toBe('local-centernet-2.0');
  });
});

describe('request validation', () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]);
  const pngOf = (length: number) => {
    const bytes = new Uint8Array(length);
    bytes.set(png);
    return bytes;
  };

  it('recognises JPEG and PNG by their signatures only', () => {
    expect(sniffImageFormat(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(sniffImageFormat(png)).toBe('png');
    expect(sniffImageFormat(new TextEncoder().encode('GIF89a'))).toBeUndefined();
  });

  it.each([
    ['a MinConfidence above 100', { bytes: png, minConfidence: 101 }, 'InvalidParameterException'],
    ['a negative MinConfidence', { bytes: png, minConfidence: -1 }, 'InvalidParameterException'],
    ['a fractional MaxLabels', { bytes: png, maxLabels: 1.5 }, 'InvalidParameterException'],
    ['empty bytes', { bytes: new Uint8Array() }, 'InvalidParameterException'],
    ['bytes that are not JPEG or PNG', { bytes: new TextEncoder().encode('hello, not an image') }, 'InvalidImageFormatException'],
    ['more than 15 MB', { bytes: pngOf(15 * 1024 * 1024 + 1) }, 'ImageTooLargeException'],
  ])('refuses %s with %s', (_what, input, name) => {
    expect(() => validateRequest(input)).toThrow(expect.objectContaining({ name }));
  });

  it('defaults MinConfidence to 55 as Rekognition does', () => {
    expect(validateRequest({ bytes: png }).minConfidence).toBe(55);
  });
});
