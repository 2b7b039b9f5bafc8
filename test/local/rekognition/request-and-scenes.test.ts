import { describe, expect, it } from 'vitest';
import { suppressExclusiveClasses } from '../../../local/rekognition/boxes.ts';
import { CSS_COLOURS, simplify, SIMPLIFIED_COLOURS } from '../../../local/rekognition/colours.ts';
import { imageProperties, type Raster } from '../../../local/rekognition/image-properties.ts';
import { postprocess } from '../../../local/rekognition/postprocess.ts';
import { passesFilters, resolveOptions } from '../../../local/rekognition/request-options.ts';
import { drawingClassifierCanMatter, pixelStats, sceneLabels, type SceneSignals } from '../../../local/rekognition/scene-labels.ts';
import { commonAncestor, COCO_CLASSES } from '../../../local/rekognition/taxonomy.ts';
import { textRegions } from '../../../local/rekognition/text-model.ts';
import { toDetectLabelsResponse, type ScoredDetection } from '../../../local/rekognition/to-response.ts';
import { INPUT_SIZE } from '../../../local/rekognition/centernet-model.ts';
import { letterboxFor } from '../../../local/rekognition/letterbox.ts';

const index = (coco: string) => COCO_CLASSES.findIndex((c) => c.coco === coco);
const box = (Left: number, Top: number, Width: number, Height: number) => ({ Left, Top, Width, Height });
const errorOf = (fn: () => unknown) => { try { fn(); } catch (error) { return error; } return undefined; };

describe('Features and Settings', () => {
  it('defaults to general labels only', () => {
    expect(resolveOptions(undefined, undefined)).toMatchObject({ generalLabels: true, imageProperties: false, maxDominantColors: 10 });
  });

  it.each([
    ['an unknown feature', ['GENERAL_LABELS', 'FACES'], undefined],
    ['label filters without GENERAL_LABELS', ['IMAGE_PROPERTIES'], { GeneralLabels: { LabelInclusionFilters: ['Cat'] } }],
    ['MaxDominantColors without IMAGE_PROPERTIES', ['GENERAL_LABELS'], { ImageProperties: { MaxDominantColors: 3 } }],
    ['MaxDominantColors above 20', ['IMAGE_PROPERTIES'], { ImageProperties: { MaxDominantColors: 21 } }],
    ['a fractional MaxDominantColors', ['IMAGE_PROPERTIES'], { ImageProperties: { MaxDominantColors: 2.5 } }],
    ['a settings field it does not know', undefined, { Moderation: {} }],
    ['a filter field it does not know', undefined, { GeneralLabels: { LabelAliasFilters: ['Cat'] } }],
    ['a filter name over 50 characters', undefined, { GeneralLabels: { LabelExclusionFilters: ['x'.repeat(51)] } }],
    ['a filter name with characters outside the documented pattern', undefined, { GeneralLabels: { LabelInclusionFilters: ['Cat{}'] } }],
    ['more than 100 filter names', undefined, { GeneralLabels: { LabelCategoryInclusionFilters: Array.from({ length: 101 }, () => 'Sports') } }],
  ])('refuses %s with InvalidParameterException instead of ignoring it', (_what, features, settings) => {
    expect(errorOf(() => resolveOptions(features, settings))).toMatchObject({ name: 'InvalidParameterException', retryable: false });
  });

  it('includes by name or category, then excludes, without regard to case', () => {
    const { filters } = resolveOptions(undefined, { GeneralLabels: {
      LabelInclusionFilters: ['cat'], LabelCategoryInclusionFilters: ['Vehicles and Automotive'], LabelExclusionFilters: ['Bus'],
    } });
    expect(passesFilters('Cat', ['Animals and Pets'], filters)).toBe(true);
    expect(passesFilters('Car', ['Vehicles and Automotive'], filters)).toBe(true);
    expect(passesFilters('Bus', ['Vehicles and Automotive'], filters)).toBe(false);
    expect(passesFilters('Dog', ['Animals and Pets'], filters)).toBe(false);
  });

  it('drops a whole category with a category exclusion filter', () => {
    const { filters } = resolveOptions(undefined, { GeneralLabels: { LabelCategoryExclusionFilters: ['Animals and Pets'] } });
    expect(passesFilters('Cat', ['Animals and Pets'], filters)).toBe(false);
    expect(passesFilters('Cup', ['Kitchen and Dining'], filters)).toBe(true);
  });
});

const cat: ScoredDetection = { classIndex: index('cat'), confidence: 90, box: box(0, 0, 0.5, 1) };

describe('the response with filters and image properties', () => {
  const raster: Raster = (() => {
    // Left half pure red, right half pure blue.
    const width = 64; const height = 32; const pixels = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels.set(x < 32 ? [255, 0, 0] : [0, 0, 255], (y * width + x) * 3);
    return { pixels, width, height };
  })();

  it('returns only the labels the filters let through, parents included only when they pass too', () => {
    const options = { minConfidence: 55, ...resolveOptions(undefined, { GeneralLabels: { LabelInclusionFilters: ['Cat', 'Animal'] } }) };
    expect(toDetectLabelsResponse([cat], options).Labels.map((l) => l.Name)).toEqual(['Cat', 'Animal']);
  });

  it('answers IMAGE_PROPERTIES alone with no labels and the image properties', () => {
    const options = { minConfidence: 55, ...resolveOptions(['IMAGE_PROPERTIES'], { ImageProperties: { MaxDominantColors: 1 } }) };
    const response = toDetectLabelsResponse([cat], options, [], raster);
    expect(response.Labels).toEqual([]);
    expect(response.ImageProperties?.DominantColors).toHaveLength(1);
    expect(response.ImageProperties?.Foreground.DominantColors[0]).toMatchObject({ CSSColor: 'red', HexCode: '#ff0000', SimplifiedColor: 'red', PixelPercent: 100 });
    expect(response.ImageProperties?.Background.DominantColors[0]).toMatchObject({ CSSColor: 'blue', SimplifiedColor: 'blue', PixelPercent: 100 });
  });

  it('adds the dominant colours of each instance when IMAGE_PROPERTIES is asked for with labels', () => {
    const options = { minConfidence: 55, ...resolveOptions(['GENERAL_LABELS', 'IMAGE_PROPERTIES'], undefined) };
    const [label] = toDetectLabelsResponse([cat], options, [], raster).Labels;
    expect(label.Instances[0].DominantColors?.map((c) => c.CSSColor)).toEqual(['red']);
  });

  it('omits ImageProperties and instance colours when only labels are asked for', () => {
    const response = toDetectLabelsResponse([cat], { minConfidence: 55, ...resolveOptions(undefined, undefined) }, [], raster);
    expect(response.ImageProperties).toBeUndefined();
    expect(response.Labels[0].Instances[0].DominantColors).toBeUndefined();
  });
});

describe('image properties', () => {
  const uniform = (v: number): Raster => ({ pixels: new Uint8Array(32 * 32 * 3).fill(v), width: 32, height: 32 });

  it('reads a white image as fully bright, flat and without contrast', () => {
    const { Quality, DominantColors } = imageProperties(uniform(255), [], 10);
    expect(Quality).toEqual({ Brightness: 100, Sharpness: 0, Contrast: 0 });
    expect(DominantColors).toEqual([{ Red: 255, Green: 255, Blue: 255, HexCode: '#ffffff', CSSColor: 'white', SimplifiedColor: 'white', PixelPercent: 100 }]);
  });

  it('reads a fine checkerboard as sharp and contrasted', () => {
    const raster = uniform(0);
    for (let i = 0; i < 32 * 32; i++) if (((i % 32) + Math.floor(i / 32)) % 2 === 0) raster.pixels.fill(255, i * 3, i * 3 + 3);
    const { Quality } = imageProperties(raster, [], 10);
    expect(Quality.Sharpness).toBeGreaterThan(99);
    expect(Quality.Contrast).toBe(100);
  });

  it('gives every CSS colour one of the 12 simplified names', () => {
    for (const c of CSS_COLOURS) expect(SIMPLIFIED_COLOURS).toContain(c.simplified);
    expect([simplify(0, 128, 128), simplify(139, 69, 19), simplify(255, 192, 203), simplify(128, 128, 128)]).toEqual(['teal', 'brown', 'pink', 'grey']);
  });
});

describe('one claim per object among look-alikes', () => {
  it('keeps the stronger of two vehicles on one box, even when one box holds the other', () => {
    const car = { classIndex: index('car'), score: 0.6, box: box(0.2, 0.2, 0.4, 0.4) };
    const bus = { classIndex: index('bus'), score: 0.5, box: box(0.1, 0.1, 0.7, 0.7) };
    const claims = suppressExclusiveClasses([car, bus], (i) => COCO_CLASSES[i].exclusiveGroup, 0.5);
    expect(claims.map((c) => [c.classIndex, c.rival?.classIndex])).toEqual([[index('car'), index('bus')]]);
  });

  it('answers the common parent when two species score within a hair of each other', () => {
    expect(commonAncestor('Cat', 'Dog')).toBe('Pet');
    expect(commonAncestor('Car', 'Bus')).toBe('Vehicle');
    const lb = letterboxFor(INPUT_SIZE, INPUT_SIZE, INPUT_SIZE);
    const rows = new Float32Array([100, 100, 400, 400, 0.62, index('dog'), 100, 100, 400, 400, 0.6, index('cat')]);
    const [only, ...rest] = postprocess([{ rows, letterbox: lb, flipped: false }]);
    expect(rest).toEqual([]);
    expect(only.name).toBe('Pet');
  });

  it('names the species when the runner-up is well behind', () => {
    const lb = letterboxFor(INPUT_SIZE, INPUT_SIZE, INPUT_SIZE);
    const rows = new Float32Array([100, 100, 400, 400, 0.8, index('dog'), 100, 100, 400, 400, 0.5, index('cat')]);
    expect(postprocess([{ rows, letterbox: lb, flipped: false }]).map((d) => [d.classIndex, d.name])).toEqual([[index('dog'), undefined]]);
  });
});

describe('scene labels', () => {
  const stats = (overrides: Partial<ReturnType<typeof pixelStats>> = {}) => ({
    skyTop: 0, vegetation: 0, brightness: 0.5, topBrightness: 0.5, flat: 0.05, light: 0, edges: 0.05, ...overrides,
  });
  const signals = (overrides: Partial<SceneSignals> = {}): SceneSignals => ({ drawing: 0, textArea: 0, textRegions: 0, stats: stats(), ...overrides });
  const names = (s: SceneSignals, objects: ScoredDetection[] = []) => sceneLabels(s, objects).map((l) => l.name).sort();

  it('says nothing about a photograph without evidence of a scene', () => {
    expect(names(signals())).toEqual([]);
  });

  it('calls blue sky at the top of a photograph Sky, Outdoors and Nature', () => {
    expect(names(signals({ stats: stats({ skyTop: 0.8 }) }))).toEqual(['Nature', 'Outdoors', 'Sky']);
  });

  it('calls a light page mostly covered by many text regions Text and Document', () => {
    expect(names(signals({ textArea: 0.2, textRegions: 12, stats: stats({ brightness: 0.8, flat: 0.6 }) }))).toEqual(['Document', 'Text']);
  });

  it('calls flat fills with outlines that the classifier takes for a drawing Art and Drawing, and not Sky', () => {
    expect(names(signals({ drawing: 0.9, stats: stats({ flat: 0.7, skyTop: 0.8 }) }))).toEqual(['Art', 'Drawing']);
  });

  it('skips the drawing classifier only where no answer from it could change the labels', () => {
    let skipped = 0;
    for (const flat of [0, 0.2, 0.3, 0.35, 0.39, 0.4, 0.5, 0.7, 1]) {
      for (const edges of [0, 0.009, 0.01, 0.05]) {
        for (const [textArea, textRegions, brightness] of [[0, 0, 0.5], [0.2, 12, 0.8], [0.2, 12, 0.3], [0.05, 4, 0.9]]) {
          const before = { textArea, textRegions, stats: stats({ flat, edges, brightness, skyTop: 0.8 }) };
          if (drawingClassifierCanMatter(before)) continue;
          skipped++;
          expect(sceneLabels({ drawing: 1, ...before }, [])).toEqual(sceneLabels({ drawing: 0, ...before }, []));
        }
      }
    }
    expect(skipped).toBeGreaterThan(0);
  });

  it('runs the drawing classifier on flat, outlined images that are not documents, and not on photographs', () => {
    expect(drawingClassifierCanMatter({ textArea: 0, textRegions: 0, stats: stats({ flat: 0.7 }) })).toBe(true);
    expect(drawingClassifierCanMatter({ textArea: 0, textRegions: 0, stats: stats({ flat: 0.05 }) })).toBe(false);
    expect(drawingClassifierCanMatter({ textArea: 0.2, textRegions: 12, stats: stats({ flat: 0.7, brightness: 0.8 }) })).toBe(false);
  });

  it('calls a photograph with a bed and a couch Indoors', () => {
    const furniture = ['bed', 'couch'].map((k) => ({ classIndex: index(k), confidence: 80, box: box(0, 0, 0.5, 0.5) }));
    expect(names(signals(), furniture)).toEqual(['Indoors']);
  });

  it('reads blue sky and green foliage from pixels', () => {
    const width = 20; const height = 20; const pixels = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) {
      const x = i % width; const y = Math.floor(i / width);
      const noise = (x * 7 + y * 13) % 5;
      pixels.set(y < 8 ? [90 + noise, 150 + noise, 230] : [40 + noise, 140 + noise, 50], i * 3);
    }
    const s = pixelStats({ pixels, width, height });
    expect(s.skyTop).toBe(1);
    expect(s.vegetation).toBeGreaterThan(0.55);
  });
});

describe('text regions', () => {
  it('counts confident connected regions and ignores specks and faint ones', () => {
    const width = 20; const height = 10; const prob = new Float32Array(width * height);
    for (let x = 1; x < 9; x++) for (let y = 1; y < 4; y++) prob[y * width + x] = 0.9;   // a word: 8×3
    for (let x = 12; x < 19; x++) for (let y = 5; y < 8; y++) prob[y * width + x] = 0.4; // faint
    prob[9 * width + 0] = 0.95;                                                         // a speck
    expect(textRegions(prob, width, height)).toEqual({ area: 24 / 200, count: 1 });
  });
});
