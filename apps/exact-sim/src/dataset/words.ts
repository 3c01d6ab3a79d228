/** Word lists for a plausible Dutch/Belgian wholesale catalogue and customer base. */

export const CATEGORIES = [
  { prefix: 'CHR', noun: 'Chair', unit: 'pc' },
  { prefix: 'TBL', noun: 'Table', unit: 'pc' },
  { prefix: 'LMP', noun: 'Lamp', unit: 'pc' },
  { prefix: 'CUS', noun: 'Cushion', unit: 'pc' },
  { prefix: 'RUG', noun: 'Rug', unit: 'pc' },
  { prefix: 'SHF', noun: 'Shelf', unit: 'pc' },
  { prefix: 'VAS', noun: 'Vase', unit: 'pc' },
  { prefix: 'CUP', noun: 'Mug', unit: 'box' },
  { prefix: 'TEX', noun: 'Curtain Fabric', unit: 'm' },
  { prefix: 'PNT', noun: 'Wall Paint', unit: 'l' },
  { prefix: 'SCR', noun: 'Screw Set', unit: 'box' },
  { prefix: 'CAN', noun: 'Candle', unit: 'pc' },
] as const;

export const UNIT_DESCRIPTIONS: Record<string, string> = {
  pc: 'Piece',
  box: 'Box',
  m: 'Meter',
  l: 'Liter',
  kg: 'Kilogram',
};

export const ADJECTIVES = [
  'Nordic',
  'Classic',
  'Industrial',
  'Rustic',
  'Modern',
  'Vintage',
  'Compact',
  'Deluxe',
  'Urban',
  'Coastal',
  'Soft',
  'Bold',
];

export const MATERIALS = [
  'Oak',
  'Walnut',
  'Steel',
  'Linen',
  'Wool',
  'Ceramic',
  'Glass',
  'Rattan',
  'Velvet',
  'Pine',
];

export const COLOURS = ['Black', 'White', 'Sand', 'Olive', 'Terracotta', 'Grey', 'Navy', 'Natural'];

export const NAME_PARTS = [
  'Van Dijk',
  'De Vries',
  'Bakker',
  'Jansen',
  'Visser',
  'Smit',
  'Meijer',
  'Mulder',
  'De Boer',
  'Peeters',
  'Maes',
  'Janssens',
  'Claes',
  'Hendriks',
  'Dekker',
  'Brouwer',
];

export const TRADES = ['Interieur', 'Wonen', 'Design', 'Home', 'Projects', 'Living', 'Trading', 'Retail'];

export const LEGAL_FORMS = ['B.V.', 'V.O.F.', 'BV', 'NV', ''];

export const CITIES: ReadonlyArray<{ city: string; country: string }> = [
  { city: 'Amsterdam', country: 'NL' },
  { city: 'Rotterdam', country: 'NL' },
  { city: 'Utrecht', country: 'NL' },
  { city: 'Eindhoven', country: 'NL' },
  { city: 'Groningen', country: 'NL' },
  { city: 'Zwolle', country: 'NL' },
  { city: 'Delft', country: 'NL' },
  { city: 'Breda', country: 'NL' },
  { city: 'Antwerpen', country: 'BE' },
  { city: 'Gent', country: 'BE' },
  { city: 'Leuven', country: 'BE' },
  { city: 'Düsseldorf', country: 'DE' },
];

export const WAREHOUSES = [
  { Code: '1', Description: 'Main warehouse', share: 0.9 },
  { Code: '2', Description: 'Webshop fulfilment', share: 0.5 },
  { Code: '3', Description: 'Showroom', share: 0.2 },
] as const;
