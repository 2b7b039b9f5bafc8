import sharp from 'sharp';
import { RekognitionError } from './errors.ts';
import { checkDimensions, MAX_SIDE_PX } from './limits.ts';
import type { Raster } from './image-properties.ts';
import { letterboxFor, type Letterbox } from './letterbox.ts';

/** One square input for the detector and where the image sits in it. */
export interface ModelView {
  /** Interleaved RGB, 0..255, `letterbox.size` squared. */
  pixels: Uint8Array;
  letterbox: Letterbox;
}

export interface ModelInput {
  /** One view per requested fill, in the same order. */
  views: ModelView[];
  /** Size of the image as Rekognition sees it: after EXIF orientation. */
  width: number;
  height: number;
  /** The decoded image fitted to the square (no padding): what the other models and statistics read. */
  raster: Raster;
}

const WHITE = { r: 255, g: 255, b: 255 };
const BLACK = { r: 0, g: 0, b: 0 };

/**
 * Decodes JPEG/PNG bytes into letterboxed RGB squares for the detector: `fills` of 1 fits the
 * image to the square, smaller fills shrink it further (zoomed-out views). Alpha is flattened
 * on white (a silhouette on transparency stays a silhouette); greyscale and 16-bit images become
 * 8-bit sRGB. Undecodable bytes are InvalidImageFormatException.
 */
export async function toModelInput(bytes: Uint8Array, size: number, fills: readonly number[] = [1]): Promise<ModelInput> {
  // 'truncated' refuses cut-off files but tolerates the harmless warnings many cameras produce.
  const open = () => sharp(bytes, { failOn: 'truncated', limitInputPixels: MAX_SIDE_PX * MAX_SIDE_PX });
  let width: number;
  let height: number;
  try {
    ({ width, height } = (await open().metadata()).autoOrient);
  } catch (error) {
    throw invalidFormat(error);
  }
  checkDimensions(width, height);
  try {
    // Decode once, straight to the largest size any view needs; smaller views come from that.
    const fitted = letterboxFor(width, height, size);
    const rgb = await open()
      .rotate()
      .flatten({ background: WHITE })
      .toColourspace('srgb')
      .removeAlpha()
      .resize(fitted.width, fitted.height, { fit: 'fill' })
      .raw()
      .toBuffer();
    const raster = { pixels: new Uint8Array(rgb.buffer, rgb.byteOffset, rgb.length), width: fitted.width, height: fitted.height };
    const views = await Promise.all(fills.map((fill) => letterboxView(raster, width, height, size, fill)));
    return { views, width, height, raster };
  } catch (error) {
    throw invalidFormat(error);
  }
}

/**
 * One letterboxed square from the decoded raster, for an image of `imageWidth` × `imageHeight` (after EXIF
 * orientation). Kept apart from decoding so a view that may not be needed (the zoomed-out second look) is made only
 * when it is.
 */
export async function letterboxView(raster: Raster, imageWidth: number, imageHeight: number, size: number, fill = 1): Promise<ModelView> {
  const letterbox = letterboxFor(imageWidth, imageHeight, size, fill);
  const pixels = await sharp(raster.pixels, { raw: { width: raster.width, height: raster.height, channels: 3 } })
    .resize(letterbox.width, letterbox.height, { fit: 'fill' })
    .extend({
      top: letterbox.top,
      bottom: size - letterbox.height - letterbox.top,
      left: letterbox.left,
      right: size - letterbox.width - letterbox.left,
      background: BLACK,
    })
    .raw()
    .toBuffer();
  if (pixels.length !== size * size * 3) throw new Error(`unexpected decoded size ${pixels.length}`);
  return { pixels: new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.length), letterbox };
}

function invalidFormat(cause: unknown): RekognitionError {
  if (cause instanceof RekognitionError) return cause;
  // Rekognition's own words, not the decoder's: a client sees what it would see from AWS (the decoder's reason stays
  // on the error's cause, for the local cloud's logs).
  const error = new RekognitionError('InvalidImageFormatException', 'Request has invalid image format');
  error.cause = cause;
  return error;
}

/** The raster stretched to another size (the drawing and text models' inputs). */
export async function resizeRaster(raster: Raster, width: number, height: number): Promise<Uint8Array> {
  const out = await sharp(raster.pixels, { raw: { width: raster.width, height: raster.height, channels: 3 } })
    .resize(width, height, { fit: 'fill' }).raw().toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}
