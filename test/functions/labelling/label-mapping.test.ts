import type { Label as RekognitionLabel } from '@aws-sdk/client-rekognition';
import { describe, expect, it } from 'vitest';
import { toLabel, toLabels } from '../../../functions/labelling/label-mapping.ts';

describe('toLabel', () => {
  it("keeps all of Rekognition's detail in the schema's shape", () => {
    // Arrange
    const label: RekognitionLabel = {
      Name: 'Cat',
      Confidence: 98.5,
      Parents: [{ Name: 'Pet' }, { Name: 'Animal' }],
      Aliases: [{ Name: 'Kitty' }],
      Categories: [{ Name: 'Animals and Pets' }],
      Instances: [{ Confidence: 97.1, BoundingBox: { Left: 0.1, Top: 0.2, Width: 0.3, Height: 0.4 } }],
    };

    // Act
    const mapped = toLabel(label);

    // Assert
    expect(mapped).toEqual({
      name: 'Cat',
      confidence: 98.5,
      parents: ['Pet', 'Animal'],
      aliases: ['Kitty'],
      categories: ['Animals and Pets'],
      instances: [{ confidence: 97.1, boundingBox: { left: 0.1, top: 0.2, width: 0.3, height: 0.4 } }],
    });
  });

  it('fills absent lists with empty ones and drops instances without a box', () => {
    const mapped = toLabel({ Name: 'Sky', Confidence: 70, Instances: [{ Confidence: 50 }] });

    expect(mapped).toEqual({ name: 'Sky', confidence: 70, parents: [], aliases: [], categories: [], instances: [] });
  });
});

describe('toLabels', () => {
  it('drops labels without a name and keeps the order of the rest', () => {
    const labels = toLabels([{ Name: 'Dog', Confidence: 90 }, { Confidence: 80 }, { Name: 'Ball', Confidence: 60 }]);

    expect(labels.map((label) => label.name)).toEqual(['Dog', 'Ball']);
  });

  it('reads no labels as an empty list', () => {
    expect(toLabels(undefined)).toEqual([]);
  });
});
