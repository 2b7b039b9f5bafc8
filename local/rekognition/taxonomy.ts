/**
 * COCO-80 classes under Rekognition's label names, with the parent labels, aliases and
 * categories Rekognition attaches to them. Parents form a small graph (Cat → Pet, Mammal;
 * Pet → Animal ...); a label's Parents are all its ancestors, nearest first.
 */

export type Category =
  | 'Animals and Pets' | 'Apparel and Accessories' | 'Beauty and Personal Care'
  | 'Food and Beverage' | 'Hobbies and Interests' | 'Home and Indoors' | 'Kitchen and Dining'
  | 'Person Description' | 'Plants and Flowers' | 'Public Safety' | 'Sports'
  | 'Technology and Computing' | 'Text and Documents' | 'Tools and Machinery'
  | 'Travel and Adventure' | 'Vehicles and Automotive' | 'Nature and Outdoors' | 'Colors and Visual Composition';

export interface LabelInfo {
  name: string;
  /** Direct parents only; see ancestorsOf. */
  parents: string[];
  aliases: string[];
  categories: Category[];
}

export interface CocoClass extends LabelInfo {
  coco: string;
  /** Classes of one group cannot name the same object (a cat is not also a dog). */
  exclusiveGroup?: 'animal' | 'vehicle' | 'fruit' | 'screen';
}

const c = (coco: string, name: string, parents: string[], categories: Category[], extra: Partial<CocoClass> = {}): CocoClass =>
  ({ coco, name, parents, aliases: [], categories, ...extra });

const ANIMAL: Partial<CocoClass> = { exclusiveGroup: 'animal' };
const VEHICLE: Partial<CocoClass> = { exclusiveGroup: 'vehicle' };
const FRUIT: Partial<CocoClass> = { exclusiveGroup: 'fruit' };

/** In the model's output order (class index 0..79). */
export const COCO_CLASSES: readonly CocoClass[] = [
  c('person', 'Person', [], ['Person Description'], { aliases: ['Human'] }),
  c('bicycle', 'Bicycle', ['Vehicle'], ['Vehicles and Automotive'], { aliases: ['Bike'] }),
  c('car', 'Car', ['Vehicle'], ['Vehicles and Automotive'], { aliases: ['Automobile'], ...VEHICLE }),
  c('motorcycle', 'Motorcycle', ['Vehicle'], ['Vehicles and Automotive'], { aliases: ['Motorbike'] }),
  c('airplane', 'Airplane', ['Aircraft'], ['Vehicles and Automotive'], { aliases: ['Aeroplane'] }),
  c('bus', 'Bus', ['Vehicle'], ['Vehicles and Automotive'], VEHICLE),
  c('train', 'Train', ['Vehicle'], ['Vehicles and Automotive'], VEHICLE),
  c('truck', 'Truck', ['Vehicle'], ['Vehicles and Automotive'], VEHICLE),
  c('boat', 'Boat', ['Vehicle'], ['Vehicles and Automotive']),
  c('traffic light', 'Traffic Light', ['Light'], ['Vehicles and Automotive']),
  c('fire hydrant', 'Fire Hydrant', ['Hydrant'], ['Public Safety']),
  c('stop sign', 'Stop Sign', ['Road Sign'], ['Vehicles and Automotive']),
  c('parking meter', 'Parking Meter', [], ['Vehicles and Automotive']),
  c('bench', 'Bench', ['Furniture'], ['Home and Indoors']),
  c('bird', 'Bird', ['Animal'], ['Animals and Pets'], ANIMAL),
  c('cat', 'Cat', ['Pet', 'Mammal'], ['Animals and Pets'], ANIMAL),
  c('dog', 'Dog', ['Pet', 'Canine'], ['Animals and Pets'], ANIMAL),
  c('horse', 'Horse', ['Mammal'], ['Animals and Pets'], ANIMAL),
  c('sheep', 'Sheep', ['Livestock'], ['Animals and Pets'], ANIMAL),
  c('cow', 'Cow', ['Cattle'], ['Animals and Pets'], ANIMAL),
  c('elephant', 'Elephant', ['Wildlife', 'Mammal'], ['Animals and Pets'], ANIMAL),
  c('bear', 'Bear', ['Wildlife', 'Mammal'], ['Animals and Pets'], ANIMAL),
  c('zebra', 'Zebra', ['Wildlife', 'Mammal'], ['Animals and Pets'], ANIMAL),
  c('giraffe', 'Giraffe', ['Wildlife', 'Mammal'], ['Animals and Pets'], ANIMAL),
  c('backpack', 'Backpack', ['Bag'], ['Apparel and Accessories']),
  c('umbrella', 'Umbrella', [], ['Apparel and Accessories']),
  c('handbag', 'Handbag', ['Bag'], ['Apparel and Accessories'], { aliases: ['Purse'] }),
  c('tie', 'Tie', ['Accessories', 'Formal Wear'], ['Apparel and Accessories'], { aliases: ['Necktie'] }),
  c('suitcase', 'Suitcase', ['Baggage'], ['Travel and Adventure']),
  c('frisbee', 'Frisbee', ['Toy'], ['Hobbies and Interests']),
  c('skis', 'Ski', ['Sports Equipment'], ['Sports']),
  c('snowboard', 'Snowboard', ['Sports Equipment'], ['Sports']),
  c('sports ball', 'Ball', ['Sports Equipment'], ['Sports'], { aliases: ['Sports Ball'] }),
  c('kite', 'Kite', ['Toy'], ['Hobbies and Interests']),
  c('baseball bat', 'Baseball Bat', ['Sports Equipment'], ['Sports']),
  c('baseball glove', 'Baseball Glove', ['Sports Equipment'], ['Sports']),
  c('skateboard', 'Skateboard', ['Sports Equipment'], ['Sports']),
  c('surfboard', 'Surfboard', ['Sports Equipment'], ['Sports']),
  c('tennis racket', 'Tennis Racket', ['Racket', 'Sports Equipment'], ['Sports']),
  c('bottle', 'Bottle', [], ['Kitchen and Dining']),
  c('wine glass', 'Wine Glass', ['Glass'], ['Kitchen and Dining'], { aliases: ['Goblet'] }),
  c('cup', 'Cup', [], ['Kitchen and Dining']),
  c('fork', 'Fork', ['Cutlery'], ['Kitchen and Dining']),
  c('knife', 'Knife', ['Cutlery'], ['Kitchen and Dining']),
  c('spoon', 'Spoon', ['Cutlery'], ['Kitchen and Dining']),
  c('bowl', 'Bowl', [], ['Kitchen and Dining']),
  c('banana', 'Banana', ['Fruit'], ['Food and Beverage'], FRUIT),
  c('apple', 'Apple', ['Fruit'], ['Food and Beverage'], FRUIT),
  c('sandwich', 'Sandwich', ['Food'], ['Food and Beverage']),
  c('orange', 'Orange', ['Citrus Fruit'], ['Food and Beverage'], FRUIT),
  c('broccoli', 'Broccoli', ['Vegetable'], ['Food and Beverage']),
  c('carrot', 'Carrot', ['Vegetable'], ['Food and Beverage']),
  c('hot dog', 'Hot Dog', ['Food'], ['Food and Beverage']),
  c('pizza', 'Pizza', ['Food'], ['Food and Beverage']),
  c('donut', 'Donut', ['Sweets'], ['Food and Beverage'], { aliases: ['Doughnut'] }),
  c('cake', 'Cake', ['Dessert'], ['Food and Beverage']),
  c('chair', 'Chair', ['Furniture'], ['Home and Indoors']),
  c('couch', 'Couch', ['Furniture'], ['Home and Indoors'], { aliases: ['Sofa'] }),
  c('potted plant', 'Potted Plant', ['Plant'], ['Plants and Flowers'], { aliases: ['Houseplant'] }),
  c('bed', 'Bed', ['Furniture'], ['Home and Indoors']),
  c('dining table', 'Dining Table', ['Table'], ['Home and Indoors']),
  c('toilet', 'Toilet', [], ['Home and Indoors']),
  c('tv', 'TV', ['Screen'], ['Technology and Computing'], { aliases: ['Television'], exclusiveGroup: 'screen' }),
  c('laptop', 'Laptop', ['Computer'], ['Technology and Computing'], { exclusiveGroup: 'screen' }),
  c('mouse', 'Mouse', ['Computer Hardware'], ['Technology and Computing'], { aliases: ['Computer Mouse'] }),
  c('remote', 'Remote Control', ['Electronics'], ['Technology and Computing']),
  c('keyboard', 'Computer Keyboard', ['Computer Hardware'], ['Technology and Computing'], { aliases: ['Keyboard'] }),
  c('cell phone', 'Mobile Phone', ['Phone'], ['Technology and Computing'], { aliases: ['Cell Phone'] }),
  c('microwave', 'Microwave', ['Appliance'], ['Kitchen and Dining']),
  c('oven', 'Oven', ['Appliance'], ['Kitchen and Dining']),
  c('toaster', 'Toaster', ['Appliance'], ['Kitchen and Dining']),
  c('sink', 'Sink', [], ['Home and Indoors']),
  c('refrigerator', 'Refrigerator', ['Appliance'], ['Kitchen and Dining'], { aliases: ['Fridge'] }),
  c('book', 'Book', ['Publication'], ['Text and Documents']),
  c('clock', 'Clock', [], ['Home and Indoors']),
  c('vase', 'Vase', ['Pottery'], ['Home and Indoors']),
  c('scissors', 'Scissors', [], ['Tools and Machinery']),
  c('teddy bear', 'Teddy Bear', ['Toy'], ['Hobbies and Interests']),
  c('hair drier', 'Blow Dryer', ['Appliance'], ['Beauty and Personal Care'], { aliases: ['Hair Dryer'] }),
  c('toothbrush', 'Toothbrush', ['Brush'], ['Beauty and Personal Care']),
];

const p = (name: string, parents: string[], categories: Category[]): LabelInfo => ({ name, parents, aliases: [], categories });

/** Labels that are only ever reached as parents. */
export const PARENT_LABELS: ReadonlyMap<string, LabelInfo> = new Map([
  p('Animal', [], ['Animals and Pets']),
  p('Mammal', ['Animal'], ['Animals and Pets']),
  p('Pet', ['Animal'], ['Animals and Pets']),
  p('Canine', ['Mammal'], ['Animals and Pets']),
  p('Livestock', ['Mammal'], ['Animals and Pets']),
  p('Cattle', ['Livestock'], ['Animals and Pets']),
  p('Wildlife', ['Animal'], ['Animals and Pets']),
  p('Transportation', [], ['Vehicles and Automotive']),
  p('Vehicle', ['Transportation'], ['Vehicles and Automotive']),
  p('Aircraft', ['Vehicle'], ['Vehicles and Automotive']),
  p('Light', [], ['Home and Indoors']),
  p('Hydrant', [], ['Public Safety']),
  p('Symbol', [], ['Text and Documents']),
  p('Sign', ['Symbol'], ['Text and Documents']),
  p('Road Sign', ['Sign'], ['Vehicles and Automotive']),
  p('Furniture', [], ['Home and Indoors']),
  p('Table', ['Furniture'], ['Home and Indoors']),
  p('Accessories', [], ['Apparel and Accessories']),
  p('Bag', ['Accessories'], ['Apparel and Accessories']),
  p('Clothing', [], ['Apparel and Accessories']),
  p('Formal Wear', ['Clothing'], ['Apparel and Accessories']),
  p('Baggage', [], ['Travel and Adventure']),
  p('Toy', [], ['Hobbies and Interests']),
  p('Sports Equipment', [], ['Sports']),
  p('Racket', ['Sports Equipment'], ['Sports']),
  p('Glass', [], ['Kitchen and Dining']),
  p('Cutlery', [], ['Kitchen and Dining']),
  p('Food', [], ['Food and Beverage']),
  p('Plant', [], ['Plants and Flowers']),
  p('Fruit', ['Plant', 'Food'], ['Food and Beverage']),
  p('Citrus Fruit', ['Fruit'], ['Food and Beverage']),
  p('Vegetable', ['Plant', 'Food'], ['Food and Beverage']),
  p('Sweets', ['Food'], ['Food and Beverage']),
  p('Dessert', ['Food'], ['Food and Beverage']),
  p('Electronics', [], ['Technology and Computing']),
  p('Screen', ['Electronics'], ['Technology and Computing']),
  p('Computer', ['Electronics'], ['Technology and Computing']),
  p('Hardware', [], ['Technology and Computing']),
  p('Computer Hardware', ['Hardware', 'Electronics'], ['Technology and Computing']),
  p('Phone', ['Electronics'], ['Technology and Computing']),
  p('Appliance', [], ['Home and Indoors']),
  p('Publication', [], ['Text and Documents']),
  p('Pottery', [], ['Home and Indoors']),
  p('Brush', [], ['Beauty and Personal Care']),
].map((info) => [info.name, info]));

/** Scene and concept labels: whole-image judgements rather than boxed objects (scene-labels.ts). */
export const SCENE_LABELS: ReadonlyMap<string, LabelInfo> = new Map([
  p('Outdoors', [], ['Nature and Outdoors']),
  p('Indoors', [], ['Home and Indoors']),
  p('Nature', [], ['Nature and Outdoors']),
  p('Sky', ['Outdoors', 'Nature'], ['Nature and Outdoors']),
  p('Vegetation', ['Plant'], ['Plants and Flowers']),
  p('Night', ['Outdoors', 'Nature'], ['Nature and Outdoors']),
  p('Road', [], ['Vehicles and Automotive']),
  p('Text', [], ['Text and Documents']),
  p('Document', ['Text'], ['Text and Documents']),
  p('Art', [], ['Hobbies and Interests']),
  p('Drawing', ['Art'], ['Hobbies and Interests']),
].map((info) => [info.name, info]));

export function labelInfo(name: string): LabelInfo | undefined {
  return PARENT_LABELS.get(name) ?? SCENE_LABELS.get(name) ?? COCO_CLASSES.find((k) => k.name === name);
}

/** The nearest label both descend from (Mammal for Cat and Dog, Vehicle for Car and Bus), if any. */
export function commonAncestor(a: string, b: string): string | undefined {
  const ofB = new Set(ancestorsOf(b));
  return ancestorsOf(a).find((name) => ofB.has(name));
}

/** All ancestors of a label, nearest first, each once (Cat → Pet, Mammal, Animal). */
export function ancestorsOf(name: string): string[] {
  const seen: string[] = [];
  let frontier = labelInfo(name)?.parents ?? [];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const parent of frontier) {
      if (seen.includes(parent)) continue;
      seen.push(parent);
      next.push(...(labelInfo(parent)?.parents ?? []));
    }
    frontier = next;
  }
  return seen;
}
