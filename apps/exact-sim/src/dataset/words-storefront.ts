/** Word lists for the storefront data: item groups, units, VAT codes, addresses and contact people. */

/** One item group per catalogue category (keyed by the item code's prefix). */
export const ITEM_GROUPS: Record<string, string> = {
  CHR: 'Chairs',
  TBL: 'Tables',
  LMP: 'Lighting',
  CUS: 'Cushions',
  RUG: 'Rugs',
  SHF: 'Shelving',
  VAS: 'Vases',
  CUP: 'Tableware',
  TEX: 'Fabrics',
  PNT: 'Paint',
  SCR: 'Hardware',
  CAN: 'Candles',
};

export const UNITS = [
  { Code: 'pc', Description: 'Piece' },
  { Code: 'box', Description: 'Box' },
  { Code: 'm', Description: 'Meter' },
  { Code: 'l', Description: 'Liter' },
  { Code: 'kg', Description: 'Kilogram' },
  { Code: 'pal', Description: 'Pallet' },
] as const;

/** Units in which an item may be sold in fractions. */
export const FRACTION_UNITS = new Set(['m', 'l', 'kg']);

/** Dutch VAT codes as a new Exact administration has them; rates with the dates they changed. */
export const VAT_CODES = [
  { Code: '0', Description: 'No VAT', Type: 'N', rates: 'none' },
  { Code: '1', Description: 'VAT low, excluding', Type: 'E', rates: 'low' },
  { Code: '2', Description: 'VAT high, excluding', Type: 'E', rates: 'high' },
  { Code: '3', Description: 'VAT 0% intra-EU supply', Type: 'B', rates: 'none' },
  { Code: '4', Description: 'VAT high, including', Type: 'I', rates: 'high' },
  { Code: '5', Description: 'VAT low, including', Type: 'I', rates: 'low' },
] as const;

export const VAT_RATES: Record<
  string,
  ReadonlyArray<{ Percentage: number; from: string | null; to: string | null }>
> = {
  none: [{ Percentage: 0, from: null, to: null }],
  low: [
    { Percentage: 0.06, from: null, to: '2018-12-31' },
    { Percentage: 0.09, from: '2019-01-01', to: null },
  ],
  high: [
    { Percentage: 0.19, from: null, to: '2012-09-30' },
    { Percentage: 0.21, from: '2012-10-01', to: null },
  ],
};

export const PRICE_LIST_NAMES = [
  'Wholesale',
  'Retail partners',
  'Hospitality',
  'Project customers',
  'Interior designers',
  'Export',
];

export const EXTRA_DESCRIPTIONS = [
  'Delivered assembled.',
  'Flat-packed; assembly instructions included.',
  'Handmade; colour may vary slightly.',
  'Suitable for indoor and covered outdoor use.',
  'Clean with a damp cloth.',
  'FSC-certified material.',
];

export const STREETS = [
  'Kerkstraat',
  'Industrieweg',
  'Stationsplein',
  'Havenstraat',
  'Molenweg',
  'Marktplein',
  'Dorpsstraat',
  'Nieuwstraat',
  'Bedrijvenpark',
  'Handelskade',
];

export const COUNTRY_NAMES: Record<string, string> = { NL: 'Netherlands', BE: 'Belgium', DE: 'Germany' };

export const FIRST_NAMES = [
  'Anne',
  'Bram',
  'Daan',
  'Emma',
  'Fleur',
  'Joost',
  'Lotte',
  'Milan',
  'Noor',
  'Sven',
];
export const MIDDLE_NAMES = ['van', 'de', 'van der', 'van den'];
export const LAST_NAMES = [
  'Berg',
  'Bos',
  'Dijk',
  'Graaf',
  'Hoek',
  'Leeuwen',
  'Maas',
  'Vliet',
  'Wit',
  'Zanten',
];
export const JOB_TITLES = ['Owner', 'Purchasing manager', 'Buyer', 'Store manager', 'Accounts payable', null];
