/**
 * Colour names for ImageProperties: Rekognition reports each dominant colour as the nearest CSS
 * named colour (its RGB, `#rrggbb`, lower-case name) plus one of 12 simplified names.
 */
export const SIMPLIFIED_COLOURS = ['black', 'blue', 'brown', 'green', 'grey', 'orange', 'pink', 'purple', 'red', 'teal', 'white', 'yellow'] as const;
export type SimplifiedColour = (typeof SIMPLIFIED_COLOURS)[number];

export interface CssColour { name: string; r: number; g: number; b: number; hex: string; simplified: SimplifiedColour }

// The CSS named colours (CSS Color Module 4), one spelling each ("grey" where both exist).
const NAMED = 'aliceblue f0f8ff antiquewhite faebd7 aqua 00ffff aquamarine 7fffd4 azure f0ffff beige f5f5dc bisque ffe4c4 black 000000 '
  + 'blanchedalmond ffebcd blue 0000ff blueviolet 8a2be2 brown a52a2a burlywood deb887 cadetblue 5f9ea0 chartreuse 7fff00 '
  + 'chocolate d2691e coral ff7f50 cornflowerblue 6495ed cornsilk fff8dc crimson dc143c darkblue 00008b darkcyan 008b8b '
  + 'darkgoldenrod b8860b darkgrey a9a9a9 darkgreen 006400 darkkhaki bdb76b darkmagenta 8b008b darkolivegreen 556b2f '
  + 'darkorange ff8c00 darkorchid 9932cc darkred 8b0000 darksalmon e9967a darkseagreen 8fbc8f darkslateblue 483d8b '
  + 'darkslategrey 2f4f4f darkturquoise 00ced1 darkviolet 9400d3 deeppink ff1493 deepskyblue 00bfff dimgrey 696969 '
  + 'dodgerblue 1e90ff firebrick b22222 floralwhite fffaf0 forestgreen 228b22 gainsboro dcdcdc ghostwhite f8f8ff gold ffd700 '
  + 'goldenrod daa520 grey 808080 green 008000 greenyellow adff2f honeydew f0fff0 hotpink ff69b4 indianred cd5c5c indigo 4b0082 '
  + 'ivory fffff0 khaki f0e68c lavender e6e6fa lavenderblush fff0f5 lawngreen 7cfc00 lemonchiffon fffacd lightblue add8e6 '
  + 'lightcoral f08080 lightcyan e0ffff lightgoldenrodyellow fafad2 lightgrey d3d3d3 lightgreen 90ee90 lightpink ffb6c1 '
  + 'lightsalmon ffa07a lightseagreen 20b2aa lightskyblue 87cefa lightslategrey 778899 lightsteelblue b0c4de lightyellow ffffe0 '
  + 'lime 00ff00 limegreen 32cd32 linen faf0e6 magenta ff00ff maroon 800000 mediumaquamarine 66cdaa mediumblue 0000cd '
  + 'mediumorchid ba55d3 mediumpurple 9370db mediumseagreen 3cb371 mediumslateblue 7b68ee mediumspringgreen 00fa9a '
  + 'mediumturquoise 48d1cc mediumvioletred c71585 midnightblue 191970 mintcream f5fffa mistyrose ffe4e1 moccasin ffe4b5 '
  + 'navajowhite ffdead navy 000080 oldlace fdf5e6 olive 808000 olivedrab 6b8e23 orange ffa500 orangered ff4500 orchid da70d6 '
  + 'palegoldenrod eee8aa palegreen 98fb98 paleturquoise afeeee palevioletred db7093 papayawhip ffefd5 peachpuff ffdab9 '
  + 'peru cd853f pink ffc0cb plum dda0dd powderblue b0e0e6 purple 800080 rebeccapurple 663399 red ff0000 rosybrown bc8f8f '
  + 'royalblue 4169e1 saddlebrown 8b4513 salmon fa8072 sandybrown f4a460 seagreen 2e8b57 seashell fff5ee sienna a0522d '
  + 'silver c0c0c0 skyblue 87ceeb slateblue 6a5acd slategrey 708090 snow fffafa springgreen 00ff7f steelblue 4682b4 tan d2b48c '
  + 'teal 008080 thistle d8bfd8 tomato ff6347 turquoise 40e0d0 violet ee82ee wheat f5deb3 white ffffff whitesmoke f5f5f5 '
  + 'yellow ffff00 yellowgreen 9acd32';

/** The simplified name of a colour, from its hue, saturation and lightness. */
export function simplify(r: number, g: number, b: number): SimplifiedColour {
  const max = Math.max(r, g, b) / 255;
  const min = Math.min(r, g, b) / 255;
  const l = (max + min) / 2;
  const chroma = max - min;
  if (chroma < 0.12) return l < 0.2 ? 'black' : l > 0.85 ? 'white' : 'grey';
  if (l < 0.1) return 'black';
  const rn = r / 255; const gn = g / 255; const bn = b / 255;
  let h = max === rn ? ((gn - bn) / chroma) % 6 : max === gn ? (bn - rn) / chroma + 2 : (rn - gn) / chroma + 4;
  h = (h * 60 + 360) % 360;
  if (h < 15 || h >= 345) return l > 0.75 ? 'pink' : l < 0.3 ? 'brown' : 'red';
  if (h < 45) return l < 0.45 || chroma < 0.35 ? 'brown' : 'orange';
  if (h < 70) return l < 0.35 ? 'brown' : 'yellow';
  if (h < 160) return 'green';
  if (h < 200) return 'teal';
  if (h < 260) return 'blue';
  if (h < 300) return 'purple';
  return l < 0.35 ? 'purple' : 'pink';
}

export const CSS_COLOURS: readonly CssColour[] = (() => {
  const words = NAMED.split(' ');
  const colours: CssColour[] = [];
  for (let i = 0; i < words.length; i += 2) {
    const hex = words[i + 1];
    const [r, g, b] = [0, 2, 4].map((o) => parseInt(hex.slice(o, o + 2), 16));
    colours.push({ name: words[i], r, g, b, hex: `#${hex}`, simplified: simplify(r, g, b) });
  }
  return colours;
})();

/** Index into CSS_COLOURS of the colour nearest to an RGB value ("redmean" weighted distance). */
export function nearestCssColour(r: number, g: number, b: number): number {
  let best = 0;
  let bestDistance = Infinity;
  for (let i = 0; i < CSS_COLOURS.length; i++) {
    const c = CSS_COLOURS[i];
    const rMean = (r + c.r) / 2;
    const dr = r - c.r; const dg = g - c.g; const db = b - c.b;
    const distance = (2 + rMean / 256) * dr * dr + 4 * dg * dg + (2 + (255 - rMean) / 256) * db * db;
    if (distance < bestDistance) {
      bestDistance = distance;
      best = i;
    }
  }
  return best;
}
